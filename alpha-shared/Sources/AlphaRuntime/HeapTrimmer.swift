import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Gives memory that a burst of requests allocated and then freed back to the system, every `interval`.
///
/// glibc's `malloc` keeps freed memory in its arenas for reuse; it returns it to the system only from the
/// top of an arena, so after a load whose short-lived allocations (async task frames, buffers) are spread
/// over the heap, a process's RSS stays near its peak although the memory is free. `malloc_trim(0)` hands
/// every whole free page back (`MADV_DONTNEED`); pages that are needed again are faulted back in, zeroed.
/// Measured on the gateway after a 25 s load: 30 MiB anonymous memory before the trim, 14 MiB after, with
/// 2.5 MiB actually allocated (docs/performance.md, "Memory").
///
/// ``ServiceProcess`` runs one every `HEAP_TRIM_INTERVAL_SECONDS` (default 10; `0` turns it off). Where the
/// C library has no `malloc_trim` (not glibc), it does nothing.
///
/// ```swift
/// let trimmer = HeapTrimmer(interval: .seconds(10))   // a Service for a ServiceGroup
/// HeapTrimmer.trimNow()                               // once, now
/// ```
public struct HeapTrimmer: Service {
    /// How long between two trims.
    public let interval: Duration

    /// A trimmer that trims every `interval`.
    public init(interval: Duration) {
        self.interval = interval
    }

    /// Whether this process's C library can trim its heap (glibc's `malloc_trim` is there).
    public static var isSupported: Bool { mallocTrim != nil }

    /// Trims once, now; returns whether any memory was given back (always `false` where unsupported).
    @discardableResult
    public static func trimNow() -> Bool {
        guard let trim = mallocTrim else { return false }
        return trim(0) == 1
    }

    /// Trims every ``interval`` until the process shuts down (returns at once where unsupported).
    public func run() async throws {
        guard Self.isSupported else { return }
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: interval)
                    Self.trimNow()
                }
            }
        } catch is CancellationError {
            return
        }
    }

    private typealias MallocTrim = @convention(c) (Int) -> Int32

    /// Looked up at run time: the Glibc module does not declare `malloc.h`'s functions.
    private static var mallocTrim: MallocTrim? {
        #if canImport(Glibc)
            // RTLD_DEFAULT: the symbol wherever the process has it (libc).
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: MallocTrim.self)
        #else
            return nil
        #endif
    }
}
