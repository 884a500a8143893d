#!/usr/bin/env python3
"""Top symbols of a `perf record -g` profile, grouped by what the code does.

  perf_groups.py PERF_DATA [TOP_N]

Prints a Markdown table of groups (HTTP/1 server, middleware: logging, tracing, metrics; gRPC core,
HTTP/2 + HPACK, protobuf, JSON, interceptors, postgres-nio, Swift runtime, ARC + malloc, locks,
kernel, …) with their self % (the sample's leaf frame is in the group) and inclusive % (some frame
of the sample is, counted once per sample), then the top self and inclusive symbols, demangled.

perf 6.1 cannot read the symbols of the Swift executables ("cannot get elf header"), so frames of an
executable that perf leaves `[unknown]` are resolved here from its `nm` table (the executables are
position independent; perf reports their addresses relative to the file).
"""
import bisect
import collections
import os
import re
import subprocess
import sys

data = sys.argv[1]
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso"], capture_output=True, text=True).stdout

NM = {}
def nm_table(path):
    if path not in NM:
        rows = []
        if os.path.exists(path):
            out_nm = subprocess.run(["nm", "-n", "--defined-only", path], capture_output=True, text=True).stdout
            for l in out_nm.splitlines():
                parts = l.split(" ", 2)
                if len(parts) == 3 and parts[1] in "tTwW":
                    rows.append((int(parts[0], 16), parts[2]))
        NM[path] = ([a for a, _ in rows], [n for _, n in rows])
    return NM[path]

def resolve(ip, path):
    addrs, names = nm_table(path)
    i = bisect.bisect_right(addrs, ip) - 1
    return names[i] if i >= 0 else "[unknown]"

samples = []
cur = []
for line in out.splitlines():
    if not line.strip():
        if cur:
            samples.append(cur)
            cur = []
        continue
    m = re.match(r"\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$", line)
    if m:
        sym = m.group(2)
        sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
        if sym == "[unknown]" and m.group(3).startswith("/") and not m.group(3).endswith(".so") and ".so." not in m.group(3):
            sym = resolve(int(m.group(1), 16), m.group(3))
        cur.append((sym, m.group(3)))
if cur:
    samples.append(cur)

syms = sorted({s for st in samples for s, _ in st})
dem = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(syms), capture_output=True,
                     text=True).stdout.splitlines()
demangled = dict(zip(syms, dem)) if len(dem) == len(syms) else {s: s for s in syms}
full = subprocess.run(["swift", "demangle"], input="\n".join(syms), capture_output=True, text=True).stdout.splitlines()
fulld = dict(zip(syms, full)) if len(full) == len(syms) else {s: s for s in syms}

GROUPS = [
    ("logging (JSONLogHandler, LogWriter, swift-log)", r"JSONLogHandler|LogWriter|JSONLineEncoder|^Logging\.|Logger\.|LogRequestsMiddleware|Logging\.Logger"),
    ("tracing (swift-otel, spans, W3C)", r"OTel|W3CTraceContext|Tracing\.|Instrumentation|TracingMiddleware|Tracing(Server|Client)Interceptor|ServiceContext"),
    ("metrics (swift-metrics, Prometheus)", r"Prometheus|CoreMetrics|Metrics\.|MetricsMiddleware|REDMetrics|Handles\.handles"),
    ("interceptors (AlphaGRPC)", r"AlphaGRPC\.|IdentityInterceptor|ObservingInterceptor|ErrorMappingInterceptor|AvailabilityInterceptor|CredentialInterceptor|BalancingClientTransport"),
    ("token cache / auth", r"AlphaAuth|VerifiedTokenCache|CachingTokenVerifier|Crypto\.|SHA256|sha256|ed25519|CCryptoBoringSSL"),
    ("gRPC core", r"GRPCCore\."),
    ("gRPC NIO transport / HTTP2 / HPACK", r"GRPCNIOTransport|NIOHTTP2|NIOHPACK|HPACK|HTTP2"),
    ("protobuf", r"SwiftProtobuf|\.pb\.|Message\.serialized|BinaryDecoder|BinaryEncoder|Alpha_.*\.decodeMessage|Alpha_.*\.traverse"),
    ("JSON (Foundation)", r"JSONEncoder|JSONDecoder|JSONWriter|JSONScanner|JSONMap|__JSON|JSON5"),
    ("HTTP/1 server (Hummingbird, NIOHTTP1)", r"HummingbirdCore|Hummingbird\.|NIOHTTP1|HTTPTypes|HTTPParser|llhttp|c_nio_llhttp|HummingbirdAuth|Gateway\."),
    ("postgres-nio", r"PostgresNIO|_ConnectionPoolModule|AlphaPostgres|UserService\.|PostService\."),
    ("Foundation other", r"Foundation|ICU|icu_|uuid|UUID|Date"),
    ("NIO event loop / channel / ByteBuffer", r"NIOPosix|NIOCore|NIOConcurrencyHelpers|_NIODataStructures|ByteBuffer|NIOAsync"),
    ("Swift concurrency runtime", r"swift_task|swift::|swift_job|Concurrency|AsyncStream|TaskGroup|swift_continuation|Task\.|withTaskCancellationHandler|TaskLocal|swift_async"),
    ("Swift runtime: generic metadata, casts, witness tables", r"GenericMetadata|getCache|GenericCacheEntry|MetadataCache|swift_dynamicCast|swift_conformsToProtocol|swift_getWitnessTable|swift_checkMetadataState|swift_getTypeByMangledName|swift_getAssociated|instantiateConcreteTypeFromMangledName|swift_getEnumCaseMultiPayload|ConcurrentReadableHashMap|TaggedMetadataAllocator"),
    ("ARC + malloc", r"^swift_retain|^swift_release|swift_allocObject|swift_deallocObject|swift_slowAlloc|swift_slowDealloc|^_int_malloc|^malloc|^free$|^_int_free|^cfree|^realloc|malloc_consolidate|swift_bridgeObjectRe|swift_arrayInit|swift_arrayDestroy|tcache|unlink_chunk|swift_beginAccess|swift_endAccess|swift_isUniquelyReferenced|swift_weak|swift_unknownObject|swift_dynamicCast|swift_getGenericMetadata|swift_conformsToProtocol|swift_getWitnessTable|swift_checkMetadataState|swift_getTypeByMangledName|swift_getAssociated|swift_get"),
    ("locks / futex", r"pthread_mutex|pthread_cond|futex|__lll_lock|os_unfair|Mutex|Synchronization|NIOLock|LockedValueBox"),
    ("Swift stdlib (String, Dictionary, Array)", r"^Swift\.|^\(extension in Swift\)|specialized Swift\.|_StringGuts|_NativeDictionary|Hasher|_swift_stdlib|_SmallString"),
    ("kernel", r"\[kernel|^entry_SYSCALL|^__x64|^do_syscall"),
]
GROUPS = [(name, re.compile(rx)) for name, rx in GROUPS]


def group_of(sym, dso):
    d = fulld.get(sym, sym)
    if "kernel" in dso or "vmlinux" in dso:
        return "kernel"
    for name, rx in GROUPS:
        if rx.search(d):
            return name
    if "libc.so" in dso:
        return "libc other"
    return "other: " + dso.split("/")[-1]


total = len(samples)
self_g = collections.Counter()
incl_g = collections.Counter()
self_s = collections.Counter()
incl_s = collections.Counter()
for st in samples:
    leaf = st[0]
    self_g[group_of(*leaf)] += 1
    self_s[demangled.get(leaf[0], leaf[0])[:150]] += 1
    seen_g, seen_s = set(), set()
    for s, d in st:
        g = group_of(s, d)
        if g not in seen_g:
            incl_g[g] += 1
            seen_g.add(g)
        ds = demangled.get(s, s)[:150]
        if ds not in seen_s:
            incl_s[ds] += 1
            seen_s.add(ds)

print(f"samples: {total}")
print("| group | self % | inclusive % |")
print("|---|---|---|")
for g, n in sorted(self_g.items(), key=lambda kv: -kv[1]):
    print(f"| {g} | {100 * n / total:.1f} | {100 * incl_g[g] / total:.1f} |")
print()
print(f"top {top_n} self symbols:")
for s, n in self_s.most_common(top_n):
    print(f"  {100 * n / total:5.1f}%  {s}")
print()
print(f"top {top_n} inclusive symbols:")
for s, n in incl_s.most_common(top_n):
    print(f"  {100 * n / total:5.1f}%  {s}")
