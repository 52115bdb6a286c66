/// What Nova accepts as a server's user data: at most 65,535 bytes once base64-encoded (its API schema's
/// `maxLength` applies to the encoded text), so at most 49,149 bytes of script.
///
/// The composed script is not all of it: Heat fills in the wait condition's signal credentials (a JSON map of two
/// URLs, ids, a user name and a password) and the master's address, so a script gets an allowance for them.
public enum UserDataLimit {
    /// Nova's limit on the base64 text of a server's user data.
    public static let maxEncodedBytes = 65_535
    /// Room kept for what Heat substitutes into a script (the signal credentials with long endpoint host names).
    public static let substitutionAllowance = 1_536
    /// The largest composed script that fits with the allowance.
    public static let maxScriptBytes = maxEncodedBytes / 4 * 3 - substitutionAllowance

    /// Bytes of base64 for `bytes` bytes of data.
    public static func encodedSize(of bytes: Int) -> Int { (bytes + 2) / 3 * 4 }

    /// The problem with a node's user data (``NodeUserData`` of its script), or nil when it fits.
    static func problem(role: String, script: String, userData: String) -> SpecProblem? {
        let bytes = userData.utf8.count
        guard bytes > maxScriptBytes else { return nil }
        let encoded = encodedSize(of: bytes + substitutionAllowance)
        let what = userData == script ? "a \(grouped(bytes))-byte install script"
            : "a \(grouped(script.utf8.count))-byte install script packed to \(grouped(bytes)) bytes"
        return SpecProblem(
            path: "components", found: nil,
            problem: "make the \(role)'s user_data \(grouped(encoded)) bytes base64-encoded (\(what) plus up to "
                + "\(grouped(substitutionAllowance)) bytes Heat fills in), over Nova's limit of \(grouped(maxEncodedBytes)) bytes",
            accepted: "fewer components or shorter property values: the \(role)'s user data may have at most "
                + "\(grouped(maxScriptBytes)) bytes")
    }

    private static func grouped(_ n: Int) -> String {
        var digits = String(n)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }
}
