import Foundation
import Testing
@testable import DiscoCore

/// BLAKE2b (RFC 7693) and Argon2id (RFC 9106) against their RFCs' test vectors, and the jupyter_server form.
@Suite struct Argon2Tests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func blake2bMatchesRFC7693() {
        // RFC 7693 appendix A: BLAKE2b-512("abc").
        #expect(Self.hex(BLAKE2b.hash(Array("abc".utf8))) == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
        #expect(Self.hex(BLAKE2b.hash([])) == "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")
    }

    /// Inputs over one block and shorter digests, as Python's `hashlib.blake2b` gives them.
    @Test func blake2bOfSeveralBlocksAndShortDigests() {
        let bytes = [UInt8]((0..<256).map { UInt8($0) }) + [UInt8]((0..<256).map { UInt8($0) })
        #expect(Self.hex(BLAKE2b.hash(bytes)) == "c59ab1095ca4579525338b6b74689ff234bc3fe9765fe26dfb04ddceaee0ab84dfd8967594cb261fcd88687f4454d80f718116c1b3c32f9f7e169357468cbe67")
        #expect(Self.hex(BLAKE2b.hash(Array("abc".utf8), outputLength: 32)) == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
    }

    /// RFC 9106 section 5.3: Argon2id, t = 3, m = 32 KiB, p = 4, with a secret and associated data.
    @Test func argon2idMatchesRFC9106() {
        let tag = Argon2id(memoryKiB: 32, passes: 3, lanes: 4).hash(
            password: [UInt8](repeating: 1, count: 32), salt: [UInt8](repeating: 2, count: 16),
            secret: [UInt8](repeating: 3, count: 8), associatedData: [UInt8](repeating: 4, count: 12))
        #expect(Self.hex(tag) == "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
    }

    @Test func jupyterFormHasArgonCffiSyntax() {
        let hash = PasswordHash.jupyter("correct horse battery", salt: Array("0123456789abcdef".utf8),
                                        parameters: Argon2id(memoryKiB: 64, passes: 1, lanes: 1))
        #expect(hash.hasPrefix("argon2:$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"), "\(hash)")
        #expect(hash.split(separator: "$").last?.count == 43)   // 32 bytes, base64 without padding
    }

    /// libargon2 (the library argon2-cffi wraps) verifies the hash DISCO makes, when the machine has it.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libargon2.so.1"), "libargon2 is not installed"))
    func libargon2VerifiesIt() async throws {
        let hash = PasswordHash.jupyter("s3cret pässword", salt: Array("per-cluster-salt".utf8))
        let check = """
            import ctypes, sys
            lib = ctypes.CDLL("/usr/lib/x86_64-linux-gnu/libargon2.so.1")
            encoded = sys.argv[1][len("argon2:"):].encode()
            for pw in ("s3cret pässword", "s3cret password"):
                p = pw.encode()
                print(pw, lib.argon2_verify(encoded, p, len(p), 2))
            """
        let output = try await runBash("python3 -c \(ShellQuoting.quote(check)) \(ShellQuoting.quote(hash))")
        #expect(output == "s3cret pässword 0\ns3cret password -35\n", "\(output)")
    }
}
