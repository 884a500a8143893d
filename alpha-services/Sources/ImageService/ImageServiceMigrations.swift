import AlphaPostgres
import Foundation

/// The image service's schema migrations (`Migrations/NNNN_name.sql`, shipped as a resource).
public enum ImageServiceMigrations {
    /// Every migration, in order.
    public static func all() throws -> [Migration] {
        try Migration.load(bundle: .module)
    }
}
