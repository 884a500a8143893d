import Foundation
import Testing

@testable import AlphaDomain

private struct LoginBody: Decodable, Equatable {
    let username: String
    let password: String
}

private struct OptionalBody: Decodable, Equatable {
    let nickname: String?
    let count: Int?
}

@Suite("Request body decoding")
struct JSONBodyTests {
    private func body(_ json: String) -> Data { Data(json.utf8) }

    @Test("a valid object decodes into the request struct")
    func validObject() throws {
        let login: LoginBody = try decodeBody(body(#"{"username":"alice","password":"Aa1!aaaa"}"#))
        #expect(login == LoginBody(username: "alice", password: "Aa1!aaaa"))
    }

    @Test("the explicit-type form decodes the same")
    func explicitType() throws {
        let login = try decodeBody(body(#" {"username":"a","password":"b"} "#), as: LoginBody.self)
        #expect(login.username == "a")
    }

    @Test("unknown keys are ignored")
    func unknownKeysIgnored() throws {
        let login: LoginBody = try decodeBody(body(#"{"username":"a","password":"b","extra":[1,{"x":null}],"n":5}"#))
        #expect(login == LoginBody(username: "a", password: "b"))
    }

    @Test("empty and whitespace-only bodies are bad requests", arguments: ["", "   \n\t"])
    func emptyBody(_ raw: String) {
        #expect(throws: BadRequest.self) { try decodeBody(body(raw), as: OptionalBody.self) }
    }

    @Test(
        "non-object top levels are bad requests",
        arguments: ["[]", #""x""#, "42", "null", "true", #"[{"nickname":"a"}]"#])
    func nonObjectTopLevel(_ raw: String) {
        #expect(throws: BadRequest.self) { try decodeBody(body(raw), as: OptionalBody.self) }
    }

    @Test(
        "malformed JSON is a bad request",
        arguments: [
            "{", #"{"username":"a","password":}"#, #"{"username":'a'}"#, #"{"a":1}x"#, "{,}", "not json",
        ])
    func malformed(_ raw: String) {
        #expect(throws: BadRequest.self) { try decodeBody(body(raw), as: OptionalBody.self) }
    }

    @Test(
        "wrong JSON types are bad requests",
        arguments: [
            #"{"username":5,"password":"b"}"#,
            #"{"username":"a","password":true}"#,
            #"{"username":["a"],"password":"b"}"#,
            #"{"username":{"x":1},"password":"b"}"#,
        ])
    func wrongTypes(_ raw: String) {
        #expect(throws: BadRequest.self) { try decodeBody(body(raw), as: LoginBody.self) }
    }

    @Test("a number where an optional string is expected is a bad request, and vice versa")
    func wrongTypeOptional() {
        #expect(throws: BadRequest.self) { try decodeBody(body(#"{"nickname":1}"#), as: OptionalBody.self) }
        #expect(throws: BadRequest.self) { try decodeBody(body(#"{"count":"1"}"#), as: OptionalBody.self) }
    }

    @Test("a missing or null required key is a bad request")
    func missingRequired() {
        #expect(throws: BadRequest.self) { try decodeBody(body(#"{"username":"a"}"#), as: LoginBody.self) }
        #expect(throws: BadRequest.self) {
            try decodeBody(body(#"{"username":"a","password":null}"#), as: LoginBody.self)
        }
    }

    @Test("optional keys may be absent or null")
    func optionalKeys() throws {
        #expect(try decodeBody(body("{}"), as: OptionalBody.self) == OptionalBody(nickname: nil, count: nil))
        #expect(
            try decodeBody(body(#"{"nickname":null}"#), as: OptionalBody.self)
                == OptionalBody(nickname: nil, count: nil))
    }

    @Test("the thrown error is BadRequest with a log reason")
    func reasonIsReported() {
        do {
            _ = try decodeBody(body(#"{"username":5,"password":"b"}"#), as: LoginBody.self)
            Issue.record("expected a BadRequest")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.reason.contains("username"))
        }
    }
}
