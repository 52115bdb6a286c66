import DiscoOCCI
import Testing

@Suite("Generated input: thousands of random entities render and parse back")
struct GeneratedInputTests {
    static let count = 2000

    @Test("Random entities (seeded, deterministic) round-trip in every rendering", arguments: entityRenderings)
    func randomEntities(type: OCCIMediaType) throws {
        var gen = EntityGenerator(rng: SplitMix64(seed: 0xD15C0))
        var failures = 0
        for i in 0..<Self.count {
            let entity = gen.entity()
            let r = renderer.render(entity, as: type)
            let joined = i % 2 == 0
            do {
                let back = try parser.parseEntity(headers: headers(of: r, joined: joined), body: r.body, contentType: r.contentType, location: entity.location)
                if back != expectedEntity(entity, after: type) {
                    failures += 1
                    if failures <= 3 { Issue.record("entity #\(i) differs after \(type):\n\(entity)\n\(back)\n\(r)") }
                }
            } catch {
                failures += 1
                if failures <= 3 { Issue.record("entity #\(i) does not parse after \(type): \(error)\n\(r)") }
            }
        }
        #expect(failures == 0)
    }

    @Test("Random query-interface listings round-trip in every rendering", arguments: entityRenderings)
    func randomCategories(type: OCCIMediaType) throws {
        var gen = EntityGenerator(rng: SplitMix64(seed: 0xCA7))
        for i in 0..<(Self.count / 4) {
            let cs = (0..<gen.int(0...5)).map { _ in gen.category(gen.pick([.kind, .mixin, .action, nil])) }
            let r = renderer.render(categories: cs, as: type)
            let back = try parser.parseCategories(headers: r.headerPairs, body: r.body, contentType: r.contentType)
            #expect(back == expectedCategories(cs, after: type), "listing #\(i)")
        }
    }

    @Test("The generator is deterministic")
    func deterministic() {
        var a = EntityGenerator(rng: SplitMix64(seed: 7)), b = EntityGenerator(rng: SplitMix64(seed: 7))
        #expect(a.entity() == b.entity())
    }
}
