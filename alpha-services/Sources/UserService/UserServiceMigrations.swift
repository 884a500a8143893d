import AlphaOutbox
import AlphaPostgres
import Foundation

/// The user service's schema migrations (`Migrations/NNNN_name.sql`, shipped as a resource), and the
/// kit's outbox table that carries its mails.
public enum UserServiceMigrations {
    /// Every migration, in order.
    public static func all() throws -> [Migration] {
        try Migration.load(bundle: .module) + [.outbox]
    }
}
