/// The masked e-mail answered by E07 (request reset code), as alpha-services does it (D19).
public enum EmailMasking {
    /// Local part → its first 3 characters + `****` + its characters from the 8th onward;
    /// the domain (from the last `@`) is unchanged. A value without `@` is masked as a local part.
    ///
    /// `ggw.chang@gmail.com` → `ggw****ng@gmail.com`, `qq@gmail.com` → `qq****@gmail.com`,
    /// `alexander@x.de` → `ale****er@x.de`, `abcde@x.de` → `abc****@x.de`.
    public static func masked(_ email: String) -> String {
        let scalars = Array(email.unicodeScalars)
        let at = scalars.lastIndex(of: "@") ?? scalars.endIndex
        let local = scalars[..<at]
        var result = String.UnicodeScalarView()
        result.append(contentsOf: local.prefix(3))
        result.append(contentsOf: "****".unicodeScalars)
        result.append(contentsOf: local.dropFirst(7))
        result.append(contentsOf: scalars[at...])
        return String(result)
    }
}
