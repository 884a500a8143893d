import AlphaPostgres
import Foundation

/// The notification service's schema migrations (`Migrations/NNNN_name.sql`, shipped as a resource).
public enum NotificationServiceMigrations {
    /// Every migration, in order.
    public static func all() throws -> [Migration] {
        try Migration.load(bundle: .module)
    }
}
