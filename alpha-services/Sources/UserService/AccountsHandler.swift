import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// `alpha.user.v1.Accounts`: registration, activation, login and password reset (CONTRACT E02–E08).
///
/// Every RPC here is called by the gateway for a visitor who has no token yet, so each requires the
/// service credential. Inputs are validated again (the gateway validates first). Every flow that mails a
/// code writes the mail into the service's outbox in the same database transaction as the account change;
/// the outbox relay hands it to the notification service after the commit.
///
/// One file per flow: `+Registration` (E02), `+Activation` (E03, E04), `+Login` (E05 and the refresh
/// check), `+PasswordReset` (E07, E08); `+Codes` issues and checks the mailed codes for all of them.
public struct AccountsHandler {
    let repository: any UserRepository
    let hasher: PasswordHasher
    let codes: CodeGenerator
    let clock: any WallClock
    let policy: AccountPolicy

    /// The abuse limits, counted in the repository (shared by every replica).
    var limiter: AbuseLimiter {
        AbuseLimiter(counters: repository, limits: policy.abuseLimits, clock: clock)
    }

    public init(
        repository: any UserRepository,
        hasher: PasswordHasher = PasswordHasher(),
        codes: CodeGenerator = CodeGenerator(),
        clock: any WallClock = SystemWallClock(),
        policy: AccountPolicy = .standard
    ) {
        self.repository = repository
        self.hasher = hasher
        self.codes = codes
        self.clock = clock
        self.policy = policy
    }

    /// Checks a username and password against the contract's rules again (the gateway checked them first):
    /// 400 ERR-001 otherwise.
    func validateCredentials(username: String, password: String) throws {
        guard ValidationRules.isValidUsername(username) else { throw ServiceError.badRequest("invalid username") }
        guard ValidationRules.isValidPassword(password) else { throw ServiceError.badRequest("invalid password") }
    }
}

extension AccountsHandler: Alpha_User_V1_Accounts.SimpleServiceProtocol {}
