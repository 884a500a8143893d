import Foundation
import Testing

@testable import AlphaDomain

@Suite("Strict RFC 8259 JSON")
struct StrictJSONTests {
    private struct NicknameBody: Decodable {
        let nickname: String?
    }

    @Test(
        "valid texts pass",
        arguments: [
            #"{}"#, #"[]"#, #" {"a" : [1, -0, 0.5, 1e5, 2E-3, -12.5e+2, true, false, null, "x"]} "#,
            #"{"a":{"b":{"c":[[]]}}}"#, #"{"a":"\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00"}"#, #""plain""#, "3",
            "{\"é\":\"😀 ünïcødé\"}", #"{"a":1,"b":1,"A":1}"#,
        ]
    )
    func valid(_ text: String) throws {
        try StrictJSON.validate(Data(text.utf8))
    }

    @Test(
        "anything outside the grammar is refused",
        arguments: [
            #"{"nickname":"Arda New",}"#, #"[1,]"#, #"{"a":1 // c"#, #"{"a":1 /* c */}"#, #"{"a":NaN}"#,
            #"{"a":Infinity}"#, #"{"a":-Infinity}"#, #"{'a':1}"#, #"{a:1}"#, #"{"a":01}"#, #"{"a":+1}"#,
            #"{"a":.5}"#, #"{"a":1.}"#, #"{"a":1e}"#, #"{"a":0x10}"#, #"{"a":"\x41"}"#, #"{"a":"\u12"}"#,
            #"{"a":"\uD800"}"#, #"{"a":"\uDC00x"}"#, #"{"a":1}{"b":2}"#, #"{"a":1} x"#, #"{"a" 1}"#, #"{,}"#,
            #"{"a":tru}"#, #"{"a":nul}"#, #"{"a":"unterminated}"#, #"{"a":[1 2]}"#, #"{"a":1,,"b":2}"#,
            "{\"a\":\"tab\there\"}", "{\"a\":\"line\nbreak\"}", "", "   ",
        ]
    )
    func invalid(_ text: String) {
        #expect(throws: BadRequest.self) { try StrictJSON.validate(Data(text.utf8)) }
    }

    @Test(
        "duplicate keys are refused, also when spelled with escapes, at any depth",
        arguments: [
            #"{"a":1,"a":2}"#, #"{"a":1,"\u0061":2}"#, #"{"x":{"b":1,"b":1}}"#, #"[{"k":1,"k":1}]"#,
            #"{"\u00e9":1,"é":2}"#,
        ]
    )
    func duplicateKeys(_ text: String) {
        #expect(throws: BadRequest.self) { try StrictJSON.validate(Data(text.utf8)) }
    }

    @Test("bytes that are not UTF-8 are refused (overlong, surrogate, truncated, stray continuation)")
    func invalidUTF8() {
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x80], [0xF5, 0x80, 0x80, 0x80]] {
            let text = Array(#"{"a":""#.utf8) + bad + Array(#""}"#.utf8)
            #expect(throws: BadRequest.self) { try StrictJSON.validate(Data(text)) }
        }
    }

    @Test("nesting deeper than the maximum is refused; up to it is fine")
    func depth() throws {
        let deep =
            String(repeating: "[", count: StrictJSON.maximumDepth + 1)
            + String(repeating: "]", count: StrictJSON.maximumDepth + 1)
        #expect(throws: BadRequest.self) { try StrictJSON.validate(Data(deep.utf8)) }
        let fine =
            String(repeating: "[", count: StrictJSON.maximumDepth)
            + String(repeating: "]", count: StrictJSON.maximumDepth)
        try StrictJSON.validate(Data(fine.utf8))
    }

    @Test("decodeBody applies the strict check (Foundation alone accepts a trailing comma)")
    func decodeBodyIsStrict() throws {
        #expect(throws: BadRequest.self) {
            try decodeBody(Data(#"{"nickname":"Arda New",}"#.utf8), as: NicknameBody.self)
        }
        #expect(throws: BadRequest.self) {
            try decodeBody(Data(#"{"nickname":"a","nickname":"b"}"#.utf8), as: NicknameBody.self)
        }
        let decoded = try decodeBody(Data(#"{"nickname":"Arda New"}"#.utf8), as: NicknameBody.self)
        #expect(decoded.nickname == "Arda New")
    }
}
