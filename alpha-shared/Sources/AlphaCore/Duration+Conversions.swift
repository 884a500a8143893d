/// The kit's one set of `Duration` conversions (metrics, logs, PostgreSQL settings, Foundation dates).
extension Duration {
    /// The duration in whole nanoseconds (saturating).
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole + attoseconds / 1_000_000_000
    }

    /// The duration in whole milliseconds (saturating), as PostgreSQL's timeout settings and log lines use.
    public var wholeMilliseconds: Int64 { nanoseconds / 1_000_000 }

    /// The duration in seconds, as a `Double` (Foundation's `TimeInterval`, `make_interval(secs => …)`).
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
