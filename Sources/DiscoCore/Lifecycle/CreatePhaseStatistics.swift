/// How long creates took to reach each ``CreatePhase`` (seconds after the request), as histogram buckets: what
/// `/metrics` shows as `disco_create_phase_seconds`. Every component's signal counts under its one phase.
public struct CreatePhaseStatistics: Sendable, Equatable {
    /// Upper bounds of the buckets, in seconds.
    public static let buckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800]

    public struct Histogram: Sendable, Equatable {
        /// Observations per bucket (not cumulative); the last one is above every bound.
        public var counts = [Int](repeating: 0, count: CreatePhaseStatistics.buckets.count + 1)
        public var sum: Double = 0
        public var count = 0
        public init() {}
    }

    public private(set) var phases: [CreatePhase: Histogram] = [:]

    public init() {}

    public mutating func observe(_ mark: PhaseMark) {
        let bucket = Self.buckets.firstIndex { mark.seconds <= $0 } ?? Self.buckets.count
        phases[mark.phase, default: Histogram()].counts[bucket] += 1
        phases[mark.phase, default: Histogram()].sum += mark.seconds
        phases[mark.phase, default: Histogram()].count += 1
    }
}
