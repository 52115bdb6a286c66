import Foundation

/// Secret properties reach the nodes only as hashes jupyter_server's `passwd_check` verifies: argon2id through
/// argon2-cffi, written `argon2:$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<tag>` (base64 without padding).
package enum PasswordHash {
    /// jupyter_server's own (`jupyter_server.auth.passwd`): 10 MiB, 10 passes, 8 lanes, a 32-byte tag.
    static let parameters = Argon2id(memoryKiB: 10_240, passes: 10, lanes: 8)

    /// The hash of `password` with `salt` (at least 8 bytes: argon2-cffi refuses shorter ones).
    package static func jupyter(_ password: String, salt: [UInt8]) -> String {
        jupyter(password, salt: salt, parameters: parameters)
    }

    static func jupyter(_ password: String, salt: [UInt8], parameters: Argon2id) -> String {
        precondition(salt.count >= 8, "an Argon2 salt has at least 8 bytes")
        let tag = parameters.hash(password: Array(password.utf8), salt: salt)
        return "argon2:$argon2id$v=19$m=\(parameters.memoryKiB),t=\(parameters.passes),p=\(parameters.lanes)$"
            + base64(salt) + "$" + base64(tag)
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }
}
