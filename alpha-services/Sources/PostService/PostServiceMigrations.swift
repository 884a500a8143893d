import AlphaOutbox
import AlphaPostgres
import Foundation

/// The post service's schema migrations (`Migrations/NNNN_name.sql`, shipped as a resource), and the kit's
/// outbox table that carries its repost notifications.
public enum PostServiceMigrations {
    /// Every migration, in order.
    public static func all() throws -> [Migration] {
        try Migration.load(bundle: .module) + [.outbox]
    }
}
