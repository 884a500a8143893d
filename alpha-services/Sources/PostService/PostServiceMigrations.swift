import AlphaPostgres
import Foundation

/// The post service's schema migrations (`Migrations/NNNN_name.sql`, shipped as a resource).
public enum PostServiceMigrations {
    /// Every migration, in order.
    public static func all() throws -> [Migration] {
        try Migration.load(bundle: .module)
    }
}
