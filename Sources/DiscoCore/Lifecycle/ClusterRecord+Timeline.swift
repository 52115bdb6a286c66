public import Foundation

extension ClusterRecord {
    /// Records that `phase` was reached at `time`; only the first mark of a phase (per component) counts.
    /// Returns the new mark, if any.
    @discardableResult
    public mutating func mark(_ phase: CreatePhase, component: String? = nil, at time: Date) -> PhaseMark? {
        var marks = timeline ?? []
        guard !marks.contains(where: { $0.phase == phase && $0.component == component }) else { return nil }
        let mark = PhaseMark(phase: phase, component: component,
                             milliseconds: max(0, Int((time.timeIntervalSince(createdAt) * 1000).rounded())))
        marks.append(mark)
        timeline = marks
        return mark
    }
}
