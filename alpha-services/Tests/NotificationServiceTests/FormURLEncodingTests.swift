import Hummingbird
import NotificationService
import Testing

@Suite("Form URL encoding")
struct FormURLEncodingTests {
    @Test("keeps unreserved characters, turns spaces into + and percent-encodes UTF-8 bytes of the rest")
    func encodesLikeBrowsers() {
        #expect(FormURLEncoding.encode("AZaz09*-._") == "AZaz09*-._")
        #expect(FormURLEncoding.encode("a b") == "a+b")
        #expect(FormURLEncoding.encode("a+b&c=d/e?f#g%") == "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25")
        #expect(FormURLEncoding.encode("Grüße\n<p>") == "Gr%C3%BC%C3%9Fe%0A%3Cp%3E")
        #expect(
            FormURLEncoding.encode("Server Alpha <team@mail.server-alpha.tech>")
                == "Server+Alpha+%3Cteam%40mail.server-alpha.tech%3E")
    }

    @Test("joins name=value pairs with & in the order given")
    func joinsFields() {
        #expect(
            FormURLEncoding.encode([("to", "a@b.de"), ("subject", "Hi & bye")]) == "to=a%40b.de&subject=Hi+%26+bye")
    }

    @Test("another implementation's decoder reads back exactly what was encoded")
    func roundTrip() throws {
        struct Form: Decodable, Equatable {
            var subject: String
            var html: String
        }
        let form = Form(subject: "Dein Code: 1 + 1 = 2 & mehr ✓", html: "<p style=\"a:b;\">Grüße\r\n'x'</p>")
        let encoded = FormURLEncoding.encode([("subject", form.subject), ("html", form.html)])
        #expect(try URLEncodedFormDecoder().decode(Form.self, from: encoded) == form)
    }
}

/// Why the Mailgun body is not written by Hummingbird's `URLEncodedFormEncoder`: it percent-encodes with
/// RFC 3986's query-item set, which keeps `+` as it is, and every form decoder (Mailgun's, browsers',
/// Hummingbird's own) reads a `+` as a space — a plus-addressed recipient `a+tag@example.org` would arrive
/// as `a tag@example.org`. When this test fails, Hummingbird encodes `+` and can take over.
@Suite("Hummingbird's form encoder and +")
struct HummingbirdFormEncoderTests {
    struct Form: Codable, Equatable {
        var to: String
    }

    @Test("Hummingbird's encoder leaves + unescaped, so its own decoder reads it back as a space")
    func plusIsNotEscaped() throws {
        let form = Form(to: "a+tag@example.org")
        let encoded = try URLEncodedFormEncoder().encode(form)
        #expect(encoded.contains("+"))
        #expect(try URLEncodedFormDecoder().decode(Form.self, from: encoded) != form)
        // Ours escapes it, and the same decoder reads the address back.
        let ours = FormURLEncoding.encode([("to", form.to)])
        #expect(ours == "to=a%2Btag%40example.org")
        #expect(try URLEncodedFormDecoder().decode(Form.self, from: ours) == form)
    }
}
