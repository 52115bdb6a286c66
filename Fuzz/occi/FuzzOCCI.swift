// libFuzzer harness for the DiscoOCCI text and JSON parsers. Compiled together with the module's
// sources (same module, so internals are visible) by Fuzz/occi/run.sh.
//
// Input: the first byte selects what is fuzzed (byte % 8, so ASCII '0'…'7' work in seed files):
//   0 text/occi headers ("Name: value" per line)   1 text/plain body   2 body without Content-Type
//   3 text/uri-list body   4 JSON body   5 Accept / Content-Type / User-Agent
//   6 single header values (all four parsers)   7 action invocation (first line = query, rest = headers)
// Every input that parses must render in every rendering, the rendering must parse again, and one
// more render → parse round must be a fixed point. A violation traps, so libFuzzer records it.

@_cdecl("LLVMFuzzerTestOneInput")
public func occiFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    OCCIFuzz.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

enum OCCIFuzz {
    static let base = "http://h:8"
    static let parser = OCCIParser(baseURL: base)
    static let renderer = OCCIRenderer(baseURL: base)

    static func run(_ input: [UInt8]) {
        guard let mode = input.first else { return }
        let rest = Array(input.dropFirst())
        let text = String(decoding: rest, as: UTF8.self)
        do throws(OCCIParseError) {
            switch mode % 8 {
            case 0: check(try parser.parseRequest(headers: headerPairs(text), body: [], contentType: "text/occi"))
            case 1: check(try parser.parseRequest(headers: [], body: rest, contentType: "text/plain"))
            case 2: check(try parser.parseRequest(headers: [], body: rest, contentType: nil))
            case 3: check(try parser.parseRequest(headers: [], body: rest, contentType: "text/uri-list"))
            case 4: check(try parser.parseRequest(headers: [], body: rest, contentType: "application/occi+json"))
            case 5:
                _ = try? OCCINegotiation.negotiate(accept: text, isListing: rest.count % 2 == 0)
                _ = try? OCCINegotiation.inputFormat(contentType: text)
                _ = try? OCCINegotiation.checkUserAgent(text)
            case 6:
                _ = try? parser.parseCategoryHeader(text)
                _ = try? parser.parseAttributeHeader(text)
                _ = try? parser.parseLinkHeader(text)
                _ = try? parser.parseLocationHeader(text)
            default:
                let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
                let action = try parser.parseActionInvocation(query: String(lines[0]),
                    headers: headerPairs(lines.count > 1 ? String(lines[1]) : ""), body: "", contentType: nil)
                for type in OCCIMediaType.allCases where type != .uriList {
                    let r = renderer.render(action: action, as: type)
                    let again = try parser.parseActionInvocation(query: renderer.actionQuery(for: action),
                        headers: r.headerPairs, body: r.body, contentType: r.contentType)
                    precondition(again.action.typeIdentifier == action.action.typeIdentifier, "action changed in \(type)")
                }
            }
        } catch {
            // Every error must describe itself and map to a status.
            precondition(!error.description.isEmpty)
            precondition([400, 406, 413, 501].contains(error.httpStatus))
            _ = OCCIRenderer.renderError(error)
        }
    }

    static func headerPairs(_ text: String) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            pairs.append((String(parts[0]), String(parts[1])))
        }
        return pairs
    }

    static func parseBack(_ r: OCCIRendering) throws(OCCIParseError) -> OCCIRequestBody {
        try parser.parseRequest(headers: r.headerPairs, body: r.body, contentType: r.contentType)
    }

    /// Renderer output must parse, and render → parse must reach a fixed point after one round.
    static func check(_ request: OCCIRequestBody) {
        for type in OCCIMediaType.allCases {
            let t1 = renderer.render(request: request, as: type)
            let r2: OCCIRequestBody
            do { r2 = try parseBack(t1) } catch {
                fatalError("rendered \(type) does not parse: \(error)\n\(t1)")
            }
            let t2 = renderer.render(request: r2, as: type)
            let r3: OCCIRequestBody
            do { r3 = try parseBack(t2) } catch {
                fatalError("second \(type) rendering does not parse: \(error)\n\(t2)")
            }
            let t3 = renderer.render(request: r3, as: type)
            precondition(t2 == t3, "\(type) rendering is not stable:\n\(t2)\n---\n\(t3)")
        }
        if let entity = try? OCCIEntity(request: request) {
            for type in OCCIMediaType.allCases where type != .uriList {
                let t = renderer.render(entity, as: type)
                guard (try? parser.parseEntity(headers: t.headerPairs, body: t.body, contentType: t.contentType)) != nil else {
                    fatalError("entity rendering \(type) does not parse:\n\(t)")
                }
            }
        }
    }
}
