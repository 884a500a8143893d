import AlphaServicesTesting
import Foundation
import NIOHTTP1
import Testing

/// A JSON response from the gateway.
struct Reply {
    var status: Int
    var json: [String: Any]
    var raw: Data
    /// The response headers.
    var headers: HTTPHeaders = [:]

    /// The error envelope's code, when the body is one.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorStatus: Int? { (json["error"] as? [String: Any])?["http_status"] as? Int }
}

/// Drives the gateway over real HTTP the way the Server Alpha apps do.
struct AccountClient {
    let baseURL: String
    let mailgun: FakeMailgun

    func call(
        _ method: HTTPMethod,
        _ path: String,
        _ body: String? = nil,
        token: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> Reply {
        let (status, responseHeaders, data) = try await HTTP.exchange(
            baseURL + path,
            method: method,
            body: body.map { Data($0.utf8) },
            token: token,
            headers: headers
        )
        let json = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return Reply(status: status, json: json, raw: data, headers: responseHeaders)
    }

    /// Waits until Mailgun has received more than `count` mails with a 6-digit code for `address`, and
    /// returns the code of the newest one. Mails without a code (the welcome mail) are not counted, and
    /// delivery order between mails queued at the same moment does not matter.
    func code(mailedTo address: String, after count: Int = 0) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let codes = await mailgun.acceptedRequests()
                .filter { $0.form?.to?.contains(address) == true }
                .compactMap { request -> String? in
                    guard let text = request.form?.text,
                        let range = text.range(of: #"\b[0-9]{6}\b"#, options: .regularExpression)
                    else { return nil }
                    return String(text[range])
                }
            if codes.count > count, let code = codes.last {
                return code
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SystemError(
            "no mail with a code reached \(address) (Mailgun got \(await mailgun.requests().count) requests)")
    }

    /// Registers and activates `username`; returns its access token.
    func activatedUser(_ username: String, password: String = "Passw0rd!") async throws -> String {
        let email = "\(username)@example.org"
        let registered = try await call(
            .POST, "/api/users", #"{"username":"\#(username)","password":"\#(password)","email":"\#(email)"}"#
        )
        #expect(registered.status == 201, "register \(username): \(registered.json)")
        let code = try await code(mailedTo: email)
        let activated = try await call(.POST, "/api/users/\(username)/activate", #"{"token":"\#(code)"}"#)
        #expect(activated.status == 200, "activate \(username): \(activated.json)")
        return try #require(activated.json["token"] as? String)
    }
}
