import Foundation
import Testing

@testable import AlphaDomain

/// One row of the shared catalog.
struct CatalogEntry: Sendable, CustomTestStringConvertible {
    let code: String
    let title: String
    let message: String
    let httpStatus: Int
    var testDescription: String { code }
}

/// A verbatim copy of the contract's error catalog (ERR-000…ERR-028, as clients know it) plus the project's
/// ERR-029 TooManyRequests; docs/api.md lists it.
/// Embedded on purpose: the test must not depend on the file layout around the package.
let expectedCatalog: [CatalogEntry] = [
    CatalogEntry(
        code: "ERR-000", title: "EndpointNotFound",
        message: "The endpoint was not found. Please check the endpoint and try again.", httpStatus: 404),
    CatalogEntry(
        code: "ERR-001", title: "BadRequest",
        message: "The request body is invalid. Please check the request body and try again.", httpStatus: 400),
    CatalogEntry(
        code: "ERR-002", title: "UsernameTaken", message: "The username is already taken. Please try another username.",
        httpStatus: 409),
    CatalogEntry(
        code: "ERR-003", title: "EmailTaken", message: "The email is already taken. Please try another email.",
        httpStatus: 409),
    CatalogEntry(
        code: "ERR-004", title: "UserNotFound",
        message: "The user was not found. Please check the username and try again.", httpStatus: 404),
    CatalogEntry(
        code: "ERR-005", title: "UserNotActivated",
        message: "The user is not activated. Please activate the user and try again.", httpStatus: 403),
    CatalogEntry(
        code: "ERR-006", title: "ActivationTokenExpired",
        message: "The token has expired. Please check your mail for a new token and try again.", httpStatus: 401),
    CatalogEntry(
        code: "ERR-007", title: "InvalidToken", message: "The token is invalid. Please check the token and try again.",
        httpStatus: 401),
    CatalogEntry(
        code: "ERR-008", title: "InvalidCredentials",
        message: "The credentials are invalid. Please check the credentials and try again.", httpStatus: 403),
    CatalogEntry(
        code: "ERR-009", title: "InternalServerError",
        message: "An internal server error occurred. Please try again later.", httpStatus: 500),
    CatalogEntry(
        code: "ERR-010", title: "DatabaseError", message: "A database error occurred. Please try again later.",
        httpStatus: 500),
    CatalogEntry(
        code: "ERR-011", title: "EmailUnreachable",
        message: "The email is unreachable. Please check the email and try again.", httpStatus: 400),
    CatalogEntry(
        code: "ERR-012", title: "EmailNotSent", message: "The email could not be sent. Please try again later.",
        httpStatus: 500),
    CatalogEntry(
        code: "ERR-013", title: "UserAlreadyActivated",
        message: "The user is already activated. Please login to your account.", httpStatus: 208),
    CatalogEntry(
        code: "ERR-014", title: "Unauthorized", message: "The request is unauthorized. Please login to your account.",
        httpStatus: 401),
    CatalogEntry(
        code: "ERR-015", title: "SubscriptionNotFound",
        message: "The subscription was not found. Please check the username and try again.", httpStatus: 404),
    CatalogEntry(
        code: "ERR-016", title: "SubscriptionAlreadyExists",
        message: "The subscription already exists. Please check the username and try again.", httpStatus: 409),
    CatalogEntry(
        code: "ERR-017", title: "SubscriptionSelfFollow",
        message: "You cannot follow yourself. Please check the username and try again.", httpStatus: 406),
    CatalogEntry(
        code: "ERR-018", title: "UnsubscribeForbidden", message: "You can only delete your own subscriptions.",
        httpStatus: 403),
    CatalogEntry(
        code: "ERR-019", title: "DeletePostForbidden", message: "You can only delete your own posts.", httpStatus: 403),
    CatalogEntry(
        code: "ERR-020", title: "PostNotFound",
        message: "The post was not found. Please check the post ID and try again.", httpStatus: 404),
    CatalogEntry(code: "ERR-021", title: "AlreadyLiked", message: "You have already liked this post.", httpStatus: 409),
    CatalogEntry(
        code: "ERR-022", title: "NotLiked", message: "You can't unlike a post you haven't liked.", httpStatus: 409),
    CatalogEntry(
        code: "ERR-023", title: "NotificationNotFound",
        message: "The notification was not found. Please check the notification ID and try again.", httpStatus: 404),
    CatalogEntry(
        code: "ERR-024", title: "DeleteNotificationForbidden", message: "You can only delete your own notifications.",
        httpStatus: 403),
    CatalogEntry(
        code: "ERR-025", title: "PasswordResetTokenInvalid",
        message: "The password reset token is invalid or has expired. Please request a new token and try again.",
        httpStatus: 403),
    CatalogEntry(
        code: "ERR-026", title: "ChatAlreadyExists",
        message: "The chat already exists. Please check the username and try again.", httpStatus: 409),
    CatalogEntry(
        code: "ERR-027", title: "ChatNotFound",
        message: "The chat was not found. Please check the chat ID and try again.", httpStatus: 404),
    CatalogEntry(
        code: "ERR-028", title: "ImageNotFound",
        message: "The image was not found. Please check the image URL and try again.", httpStatus: 404),
    CatalogEntry(
        code: "ERR-029", title: "TooManyRequests", message: "Too many requests. Please try again later.",
        httpStatus: 429),
]

@Suite("Error catalog")
struct ErrorCodeTests {
    @Test("the catalog has exactly 30 codes, ERR-000 through ERR-029 in order")
    func catalogIsComplete() {
        #expect(ErrorCode.allCases.count == 30)
        #expect(ErrorCode.allCases.map(\.rawValue) == (0...29).map { String(format: "ERR-%03d", $0) })
        #expect(expectedCatalog.map(\.code) == ErrorCode.allCases.map(\.rawValue))
    }

    @Test(
        "every code carries the title, message and status of the contract's catalog verbatim",
        arguments: expectedCatalog)
    func entryMatchesSharedCatalog(_ entry: CatalogEntry) throws {
        let code = try #require(ErrorCode(rawValue: entry.code))
        #expect(code.code == entry.code)
        #expect(code.title == entry.title)
        #expect(code.message == entry.message)
        #expect(code.httpStatus == entry.httpStatus)
    }

    @Test("case names are the lower-camel catalog titles")
    func caseNamesFollowTitles() {
        for code in ErrorCode.allCases {
            let title = code.title
            let lowerCamel = title.prefix(1).lowercased() + title.dropFirst()
            #expect(String(describing: code) == lowerCamel)
        }
    }

    @Test("ERR-029 TooManyRequests is 429 with a retry-later message")
    func tooManyRequests() {
        #expect(ErrorCode.tooManyRequests.rawValue == "ERR-029")
        #expect(ErrorCode.tooManyRequests.title == "TooManyRequests")
        #expect(ErrorCode.tooManyRequests.httpStatus == 429)
        #expect(ErrorCode.tooManyRequests.message == "Too many requests. Please try again later.")
    }

    @Test("a few messages are verbatim, including the apostrophe of NotLiked")
    func verbatimMessages() {
        #expect(
            ErrorCode.badRequest.message == "The request body is invalid. Please check the request body and try again.")
        #expect(ErrorCode.notLiked.message == "You can't unlike a post you haven't liked.")
        #expect(ErrorCode.userAlreadyActivated.httpStatus == 208)
        #expect(ErrorCode.invalidCredentials.httpStatus == 403)
    }

    @Test("codes encode and decode as their wire string")
    func codableAsRawValue() throws {
        let data = try JSONEncoder().encode([ErrorCode.userNotFound])
        #expect(String(decoding: data, as: UTF8.self) == #"["ERR-004"]"#)
        #expect(try JSONDecoder().decode([ErrorCode].self, from: data) == [.userNotFound])
    }
}
