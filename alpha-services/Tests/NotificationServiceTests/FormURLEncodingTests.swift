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
