// libFuzzer harness for the store's JSON reader (Sources/DiscoCore/Support/JSONReader.swift), compiled together with
// it by Fuzz/run.sh.
//
// Besides crashes, hangs and out-of-bounds reads (the reader indexes an unsafe buffer): a value the reader reads as a
// string, an integer or a date must be what Foundation reads from the same bytes; a whole document the reader walks
// must be one Foundation accepts unless it only differs where skipping is lenient (numbers and escapes of skipped
// values are stepped over, not checked: the store reads only its own files and falls back to JSONDecoder).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func storeFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    StoreJSONFuzz.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

enum StoreJSONFuzz {
    static func foundation(_ bytes: UnsafeRawBufferPointer) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    static func run(_ bytes: UnsafeRawBufferPointer) {
        // Whole values of any kind: walking must terminate inside the buffer.
        var walker = JSONReader(bytes)
        let walked = (try? walker.skipValue()) != nil && (try? walker.end()) != nil
        precondition(walker.offset <= bytes.count, "read past the end")
        _ = walked

        var strings = JSONReader(bytes)
        if let text = try? strings.readString(), (try? strings.end()) != nil {
            let reference = foundation(bytes) as? String
            precondition(reference == text, "string \(text.debugDescription) but Foundation reads \(String(describing: reference?.debugDescription))")
        }

        var integers = JSONReader(bytes)
        if let value = try? integers.readInt(), (try? integers.end()) != nil {
            let reference = foundation(bytes) as? NSNumber
            precondition(reference?.int64Value == Int64(value), "integer \(value) but Foundation reads \(String(describing: reference))")
        }

        var dates = JSONReader(bytes)
        if let date = try? dates.readDate(), (try? dates.end()) != nil {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let reference = try? decoder.decode(Date.self, from: Data(bytes))
            // Foundation checks day-of-month against the month (the reader only ranges: the store wrote the date), and
            // counts days before 1582 in the Julian calendar (the reader and the store's writer are proleptic Gregorian).
            if let reference, date.timeIntervalSince1970 >= -11_676_096_000 {
                precondition(reference == date, "date \(date) but Foundation reads \(reference)")
            }
        }

        // Objects the way the record readers use them: keys, then any value.
        var objects = JSONReader(bytes)
        if (try? objects.beginObject()) != nil {
            while let key = try? objects.nextKey() {
                _ = key
                if (try? objects.skipValue()) == nil { break }
            }
        }
        precondition(objects.offset <= bytes.count, "read past the end")
    }
}
