import Testing

@testable import AlphaDomain

@Suite("Hashtag extraction and search query (§6.3, §6.4, D08, D26)")
struct HashtagsTests {
    @Test("tags are #-prefixed ASCII word runs, lower-cased, in order of appearance")
    func basic() {
        #expect(
            Hashtags.extract(from: "Sunny day #Mannheim #rhein_neckar #2024") == [
                "#mannheim", "#rhein_neckar", "#2024",
            ])
        #expect(Hashtags.extract(from: "no tags here") == [])
    }

    @Test("a tag ends at the first non-word character; non-ASCII letters do not start one")
    func boundaries() {
        #expect(Hashtags.extract(from: "#ab-cd") == ["#ab"])
        #expect(Hashtags.extract(from: "#über #abü") == ["#ab"])
        #expect(Hashtags.extract(from: "# alone ##double") == ["#double"])
        #expect(Hashtags.extract(from: "a#b") == ["#b"])
    }

    @Test("the same tag twice (any case) is kept once (D08: never a 500)")
    func deduplicated() {
        #expect(Hashtags.extract(from: "#arda #ARDA #Arda #other #arda") == ["#arda", "#other"])
    }

    @Test("escaped apostrophes and quotes are not tags (#39, #34), real entities in text are")
    func escapedCharacters() {
        let content = InputNormalizer.escapedFreeText(#"I'm "here" & it's #fun's"#)
        #expect(content.contains("&#39;"))
        #expect(Hashtags.extract(from: content) == ["#fun"])
        // A user who literally types "&#39;" gets the tag they typed.
        #expect(Hashtags.extract(from: InputNormalizer.escapedFreeText("&#39;")) == ["#39"])
        #expect(Hashtags.extract(from: InputNormalizer.escapedFreeText("<b>#bold</b>")) == ["#bold"])
    }

    @Test("tags over 31 characters are skipped, 31 are kept")
    func length() {
        let max = String(repeating: "a", count: 31)
        let over = String(repeating: "b", count: 32)
        #expect(Hashtags.extract(from: "#\(max) #\(over) #ok") == ["#\(max)", "#ok"])
    }

    @Test("entity decoding is one left-to-right pass")
    func decoding() {
        #expect(Hashtags.decodedEntities("&amp;#39; &lt;&gt; &#34;&#39; &unknown; &") == "&#39; <> \"' &unknown; &")
    }

    @Test("the search query gets its # and is lower-cased (D26)")
    func query() {
        #expect(Hashtags.query("Arda") == "#arda")
        #expect(Hashtags.query("#arda") == "#arda")
        #expect(Hashtags.query("#") == nil)
        #expect(Hashtags.query("ab-cd") == nil)
        #expect(Hashtags.query("a\u{0}") == nil)
        #expect(Hashtags.query(String(repeating: "x", count: 32)) == nil)
        #expect(Hashtags.query(String(repeating: "x", count: 31)) == "#" + String(repeating: "x", count: 31))
    }
}
