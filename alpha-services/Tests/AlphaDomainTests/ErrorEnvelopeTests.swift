import Foundation
import Testing

@testable import AlphaDomain

@Suite("Error envelope")
struct ErrorEnvelopeTests {
    private func jsonObject(_ envelope: ErrorEnvelope) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: envelope.jsonData()) as? [String: Any])
    }

    @Test("the body is exactly {error:{title,code,message,http_status}}")
    func exactKeySet() throws {
        let object = try jsonObject(ErrorEnvelope(.userNotFound))
        #expect(Set(object.keys) == ["error"])
        let error = try #require(object["error"] as? [String: Any])
        #expect(Set(error.keys) == ["title", "code", "message", "http_status"])
        #expect(error["title"] as? String == "UserNotFound")
        #expect(error["code"] as? String == "ERR-004")
        #expect(error["message"] as? String == "The user was not found. Please check the username and try again.")
        #expect(error["http_status"] as? Int == 404)
    }

    @Test("the encoded bytes are the expected JSON with sorted keys")
    func exactBytes() {
        let json = String(decoding: ErrorEnvelope(.badRequest).jsonData(), as: UTF8.self)
        #expect(
            json
                == #"{"error":{"code":"ERR-001","http_status":400,"message":"The request body is invalid. Please check the request body and try again.","title":"BadRequest"}}"#
        )
    }

    @Test("a plain JSONEncoder produces the same keys as jsonData()")
    func plainEncoderSameShape() throws {
        let envelope = ErrorEnvelope(.tooManyRequests)
        let viaEncoder = try JSONSerialization.jsonObject(with: JSONEncoder().encode(envelope)) as? NSDictionary
        let viaHelper = try JSONSerialization.jsonObject(with: envelope.jsonData()) as? NSDictionary
        #expect(viaEncoder == viaHelper)
    }

    @Test("without an override the status is the catalog status")
    func defaultStatus() {
        #expect(ErrorEnvelope(.userAlreadyActivated).httpStatus == 208)
        #expect(ErrorEnvelope(.tooManyRequests).httpStatus == 429)
        #expect(ErrorEnvelope(.invalidCredentials).httpStatus == 403)
    }

    @Test("an overridden status is both the response status and the body's http_status")
    func overriddenStatus() throws {
        let login = ErrorEnvelope.invalidCredentialsAtLogin
        #expect(login.httpStatus == 401)
        #expect(login.code == .invalidCredentials)
        let error = try #require(try jsonObject(login)["error"] as? [String: Any])
        #expect(error["http_status"] as? Int == 401)
        #expect(error["code"] as? String == "ERR-008")

        #expect(ErrorEnvelope.invalidCredentialsAtPasswordChange.httpStatus == 403)
        #expect(ErrorEnvelope(.chatNotFound, httpStatus: 404).error.httpStatus == 404)
    }

    @Test("BadRequest maps to ERR-001 with status 400 and keeps its reason out of the body")
    func badRequestEnvelope() throws {
        let failure = BadRequest("username too long")
        #expect(failure.code == .badRequest)
        #expect(failure.envelope == ErrorEnvelope(.badRequest))
        #expect(failure.envelope.httpStatus == 400)
        #expect(!String(decoding: failure.envelope.jsonData(), as: UTF8.self).contains("too long"))
    }

    @Test("BadRequest.check throws only when the condition is false")
    func badRequestCheck() {
        #expect(throws: Never.self) { try BadRequest.check(true, "fine") }
        #expect(throws: BadRequest("nickname")) { try BadRequest.check(false, "nickname") }
    }
}
