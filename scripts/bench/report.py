#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the measurements of scripts/bench.sh.

Usage: report.py RESULTS_TSV OUT; the machine and the settings come from BENCH_*
environment variables that scripts/bench.sh sets, the proxy's Go benchmark output
from the file BENCH_PROXY_OUT names. Prints the tables and summaries.
"""
import csv, os, re, statistics, sys

results, out = sys.argv[1], sys.argv[2]
env = os.environ
rows = list(csv.DictReader(open(results), delimiter="\t"))
cases = {}
for r in rows:
    cases.setdefault((int(r["n"]), int(r["sets"]), r["tool"]), []).append(r)


def wall(r):
    return int(r["wall_ms"])


def cpu(r):
    return float(r["cpu_ms"])


def med(rs, f=wall):
    return statistics.median(f(r) for r in rs)


def spread(rs, f=wall):
    w = sorted(f(r) for r in rs)
    return f"{w[0]:.0f}–{w[-1]:.0f}"


def calls(rs):
    c = sorted({int(r["calls"]) for r in rs})
    return str(c[0]) if len(c) == 1 else f"{c[0]}–{c[-1]}"


def peak(rs):
    p = [int(r["peak_kib"]) for r in rs if r["peak_kib"]]
    return f"{max(p) / 1024:.1f}" if p else "n/a"


def plural(s):
    return f"{s} set{'s' if s != 1 else ''}"


def pairs(a, b, f):
    # f(row of a, row of b) for the runs of a and b of the same round, sorted
    br = {r["run"]: r for r in b}
    return sorted(f(r, br[r["run"]]) for r in a if r["run"] in br)


def ratios(p, h):
    # ratio of each provider run to the http run of the same round
    return pairs(p, h, lambda x, y: wall(x) / wall(y))


def paired(p, h):
    return statistics.median(ratios(p, h))


def quartiles(xs):
    if len(xs) < 2:
        return xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[2]


def verdict(ok):
    return "**PASS**" if ok else "**FAIL**"


def duration_ms(s):
    # a Go duration such as "150ms" or "1m30s", in milliseconds
    units = {"ns": 1e-6, "us": 1e-3, "µs": 1e-3, "ms": 1, "s": 1e3, "m": 6e4, "h": 3.6e6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", s)
    if s in ("0", "0s"):
        return 0.0
    if not parts or "".join(a + b for a, b in parts) != s:
        sys.exit(f"report.py: cannot read the duration {s!r}")
    return sum(float(a) * units[b] for a, b in parts)


# --- 1. token reuse -------------------------------------------------------------------------
def token_reuse():
    keys = sorted({(n, s) for n, s, t in cases if t == "http" and (n, s, "provider") in cases})
    if not keys:
        return "", ""
    lines = [
        "| N reads | credential sets | token calls: provider | token calls: http | "
        "plan wall ms: provider, median (min–max) | plan wall ms: http, median (min–max) | "
        "wall-time ratio provider/http: of the medians; paired median (IQR) | "
        "peak RSS MiB: provider | peak RSS MiB: http |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    checks = []
    for n, s in keys:
        p, h = cases[(n, s, "provider")], cases[(n, s, "http")]
        ratio = med(p) / med(h)
        q1, q3 = quartiles(ratios(p, h))
        lines.append(f"| {n} | {s} | {calls(p)} | {calls(h)} | {med(p):.0f} ({spread(p)}) | "
                     f"{med(h):.0f} ({spread(h)}) | {ratio:.2f}; {paired(p, h):.2f} ({q1:.2f}–{q3:.2f}) | "
                     f"{peak(p)} | {peak(h)} |")
        distinct = min(n, s)
        ok_p = all(int(r["calls"]) == distinct for r in p)
        ok_h = all(int(r["calls"]) == n for r in h)
        checks.append((n, s, distinct, ok_p, ok_h, ratio))
    table = "\n".join(lines)

    summary = []
    all_p = all(c[3] for c in checks)
    all_h = all(c[4] for c in checks)
    summary.append(f"- Token-endpoint calls, provider: exactly one per distinct credential set per plan "
                   f"(min(N, sets)) in every run: **{'yes' if all_p else 'NO'}**.")
    summary.append(f"- Token-endpoint calls, `data \"http\"`: exactly N per plan in every run: "
                   f"**{'yes' if all_h else 'NO'}**.")
    for n in sorted({c[0] for c in checks}):
        rs = ", ".join(f"{c[5]:.2f} with {plural(c[1])} (paired per run: "
                       f"{paired(cases[(n, c[1], 'provider')], cases[(n, c[1], 'http')]):.2f})"
                       for c in checks if c[0] == n)
        summary.append(f"- Wall-time ratio provider/http (of the medians) at N = {n}: {rs}.")
    n1 = min(k[0] for k in keys)
    for s in sorted({k[1] for k in keys if k[0] == n1}):
        p, h = cases[(n1, s, "provider")], cases[(n1, s, "http")]
        q1, q3 = quartiles(ratios(p, h))
        if q3 < 1:
            word = "faster than the alternative beyond the noise"
        elif q1 <= 1:
            word = "not slower beyond the noise"
        else:
            word = "SLOWER beyond the noise"
        dms = statistics.median(pairs(p, h, lambda x, y: wall(x) - wall(y)))
        summary.append(f"- At N = {n1} with {plural(s)}: provider median {med(p):.0f} ms, http {med(h):.0f} ms; "
                       f"paired per run: ratio provider/http median {paired(p, h):.2f} (interquartile range "
                       f"{q1:.2f}–{q3:.2f}), difference median {dms:+.0f} ms: the provider is **{word}**.")
    pk = [(n, s) for n, s in keys if n == max(k[0] for k in keys)]
    summary.append("- Peak RSS at N = " + str(pk[0][0]) + ": " + "; ".join(
        f"{plural(s)}: provider {peak(cases[(n, s, 'provider')])} MiB, "
        f"http {peak(cases[(n, s, 'http')])} MiB" for n, s in pk) + ".")
    summary = "\n".join(summary)

    doc = f"""## Token reuse: `translationauth_smartling_token` against `data "http"`

N Smartling token reads in one `terraform plan`, either as N `translationauth_smartling_token`
data sources (configuration: `scripts/bench/provider/main.tf`) or as the hand-rolled
alternative, N `data "http"` blocks that POST to `/auth-api/v2/authenticate` and `jsondecode`
the answer (`scripts/bench/http/main.tf`). Read *i* uses credential set *i* mod *sets*; the
two sides run against the same mock Smartling API (`internal/mockapi`, started with
`-latency {env['BENCH_LATENCY']}`, so every token call takes at least that long).

{table}

{summary}
"""
    return doc, table + "\n\n" + summary


# --- 2. per-read cost ---------------------------------------------------------------------------
WALL_LIMIT, CPU_LIMIT = 1.10, 1.25


def per_read():
    n = int(env.get("BENCH_READS", "0"))
    p, z = cases.get((n, 1, "provider")), cases.get((n, 1, "noop"))
    if not p or not z:
        return "", ""
    lat = duration_ms(env["BENCH_LATENCY"])
    wall_r = pairs(p, z, lambda a, b: wall(a) / (wall(b) + lat))
    cpu_r = pairs(p, z, lambda a, b: cpu(a) / cpu(b))
    wall_extra = statistics.median(pairs(p, z, lambda a, b: wall(a) - wall(b) - lat)) / n
    cpu_extra = statistics.median(pairs(p, z, lambda a, b: cpu(a) - cpu(b))) / n
    wall_med, cpu_med = med(p) / (med(z) + lat), med(p, cpu) / med(z, cpu)

    def line(name, ratios, of_medians, limit):
        m, (q1, q3) = statistics.median(ratios), quartiles(ratios)
        if q3 <= limit and q3 - q1 > limit - 1:
            noise = ("its whole interquartile range is within the limit, but it is wider than the limit's "
                     "margin: the noise of this run is larger than the difference the limit allows")
        elif q3 <= limit:
            noise = "its whole interquartile range is within the limit"
        elif q1 > limit:
            noise = "its whole interquartile range is beyond the limit"
        else:
            noise = "its interquartile range straddles the limit: within the noise of this run"
        return (f"- **{name}: {m:.2f}** (paired per run: median, interquartile range "
                f"{q1:.2f}–{q3:.2f}; of the medians: {of_medians:.2f}). Limit {limit:.2f}×: {verdict(m <= limit)}; "
                f"{noise}.")

    table = "\n".join([
        "| plan of {n} reads | token calls | plan wall ms, median (min–max) | "
        "CPU ms of the plugin processes, median (min–max) | peak RSS MiB |".format(n=n),
        "|---|---:|---:|---:|---:|",
        f"| translationauth | {calls(p)} | {med(p):.0f} ({spread(p)}) | {med(p, cpu):.0f} ({spread(p, cpu)}) | {peak(p)} |",
        f"| do-nothing provider, same schemas | {calls(z)} | {med(z):.0f} ({spread(z)}) | "
        f"{med(z, cpu):.0f} ({spread(z, cpu)}) | {peak(z)} |",
        f"| wall-time limit: do-nothing + one token call ({lat:.0f} ms) | | {med(z) + lat:.0f} | | |",
    ])
    summary = "\n".join([
        line("Wall time, provider / (do-nothing + one token call)", wall_r, wall_med, WALL_LIMIT),
        line("CPU time of the plugin processes, provider / do-nothing", cpu_r, cpu_med, CPU_LIMIT),
        f"- Beyond its limit, the provider spends {wall_extra:+.2f} ms of wall time and {cpu_extra:+.2f} ms "
        f"of CPU time per read (paired medians, divided by {n})"
        + ("; a negative figure is noise, as the provider does all the do-nothing provider does and more."
           if min(wall_extra, cpu_extra) < 0 else "."),
        f"- Token-endpoint calls per plan: provider {calls(p)}, do-nothing provider {calls(z)}.",
    ])
    doc = f"""## Per-read cost: the provider against a do-nothing provider with the same schemas

The same plan of {n} `translationauth_smartling_token` reads with one credential set
(`scripts/bench/provider/main.tf`), through the provider and through a do-nothing provider
built by the bench (`scripts/bench/noop`, serving `provider.NewNoop` from
`internal/provider/noop.go`): it serves exactly the provider's schemas, built from the same
registry, so Terraform and the framework do the same work for it, but its `Configure` does
nothing and its reads return their configuration with constant results and make no request.
The provider's limit is that plan plus the one token call it needs: the mock's latency,
{lat:.0f} ms. Issue 11 asks for at most {WALL_LIMIT:.2f}× the limit in wall time and
{CPU_LIMIT:.2f}× the do-nothing provider in CPU time; the verdicts go by the paired median.

{table}

{summary}
"""
    return doc, table + "\n\n" + summary


# --- 3. the proxy -------------------------------------------------------------------------------
# Issue 9's goal for the proxy against direct requests, sequential; its goal at 64 concurrent
# measured a second loopback hop on shared cores, and issue 18 replaced it with the goals
# against a bare httputil.ReverseProxy (wall time and CPU time, sequential and 64 concurrent).
GOALS = {"sequential": 1.10}
BARE_GOALS = {"ratio": 1.05, "cpu-ratio": 1.10}
RSS_GOAL = 16


def proxy_results():
    get, bare, upload = {}, {}, []
    path = env.get("BENCH_PROXY_OUT", "")
    if not path or not os.path.exists(path):
        return get, bare, upload
    for line in open(path):
        f = line.split()
        if len(f) < 4 or not f[0].startswith("Benchmark"):
            continue
        metrics = {f[i + 1]: float(f[i]) for i in range(2, len(f) - 1, 2)}
        if m := re.fullmatch(r"BenchmarkProxy(GET|VsReverseProxy)/latency=([^/]+)/(sequential|concurrent-\d+)(?:-\d+)?", f[0]):
            (get if m.group(1) == "GET" else bare).setdefault((m.group(2), m.group(3)), []).append(metrics)
        elif re.fullmatch(r"BenchmarkProxyUpload256MiB(?:-\d+)?", f[0]):
            upload.append(metrics)
    return get, bare, upload


def mid(ms, key):
    xs = [m[key] for m in ms if key in m]
    return statistics.median(xs) if xs else float("nan")


def rng(ms, key, fmt):
    xs = sorted(m[key] for m in ms if key in m)
    return f"{xs[0]:{fmt}}–{xs[-1]:{fmt}}" if xs else "n/a"


def requests_of(mode):
    return "one at a time" if mode == "sequential" else mode.replace("concurrent-", "") + " at a time"


def by_latency(results):
    return sorted(results, key=lambda k: (duration_ms(k[0]), k[1] != "sequential"))


def proxy_vs_bare(bare):
    """The table and summary of BenchmarkProxyVsReverseProxy."""
    lines = [
        "| upstream latency | requests | bare ReverseProxy: µs per request | the proxy: µs per request | "
        f"wall-time ratio, median (min–max) | goal {BARE_GOALS['ratio']:.2f} | "
        f"CPU-time ratio, median (min–max) | goal {BARE_GOALS['cpu-ratio']:.2f} |",
        "|---:|---|---:|---:|---:|---|---:|---|",
    ]
    verdicts = []
    for lat, mode in by_latency(bare):
        ms = bare[(lat, mode)]
        wall, cpu = mid(ms, "ratio"), mid(ms, "cpu-ratio")
        ok_wall, ok_cpu = wall <= BARE_GOALS["ratio"], cpu <= BARE_GOALS["cpu-ratio"]
        verdicts.append((lat, mode, wall, cpu, ok_wall, ok_cpu))
        lines.append(
            f"| {lat} | {requests_of(mode)} | {mid(ms, 'base-ns/op') / 1e3:.0f} | {mid(ms, 'ns/op') / 1e3:.0f} | "
            f"{wall:.2f} ({rng(ms, 'ratio', '.2f')}) | {verdict(ok_wall)} | "
            f"{cpu:.2f} ({rng(ms, 'cpu-ratio', '.2f')}) | {verdict(ok_cpu)} |")
    summary = [
        f"- {requests_of(mode).capitalize()} at an upstream latency of {lat}: wall time {wall:.2f}, "
        f"CPU time {cpu:.2f} of the bare ReverseProxy's: {verdict(ok_wall and ok_cpu)}."
        for lat, mode, wall, cpu, ok_wall, ok_cpu in verdicts]
    return "\n".join(lines), "\n".join(summary)


def proxy():
    get, bare, upload = proxy_results()
    if not get and not bare and not upload:
        return "", ""

    lines = [
        "| upstream latency | requests | directly: µs per request | through the proxy: µs per request | "
        "ratio proxy/direct, median (min–max) | goal | | added wall µs per request | added CPU µs per request |",
        "|---:|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    results = {}
    for lat, mode in by_latency(get):
        ms = get[(lat, mode)]
        ratio, goal = mid(ms, "ratio"), GOALS.get(mode)
        results[(lat, mode)] = (ratio, ms)
        lines.append(
            f"| {lat} | {requests_of(mode)} | {mid(ms, 'base-ns/op') / 1e3:.0f} | {mid(ms, 'ns/op') / 1e3:.0f} | "
            f"{ratio:.2f} ({rng(ms, 'ratio', '.2f')}) | {f'{goal:.2f}' if goal else ''} | "
            f"{verdict(ratio <= goal) if goal else ''} | {mid(ms, 'added-us/op'):.0f} | "
            f"{mid(ms, 'added-cpu-us/op'):.0f} |")
    table = "\n".join(lines)

    summary = []
    zero = [(k, v) for k, v in results.items() if duration_ms(k[0]) == 0]
    if zero:
        seq = results.get((zero[0][0][0], "sequential"))
        con = results.get((zero[0][0][0], "concurrent-64"))
        missed = any(v[0] > GOALS.get(k[1], 99) for k, v in zero)
        cpu_us = statistics.median(mid(v[1], "added-cpu-us/op") for _, v in zero)
        summary.append(
            "- With no latency the upstream is a loopback server in the same process that answers at once, so the "
            "ratio compares two loopback exchanges with one: it measures the proxy's own cost, about "
            f"{cpu_us:.0f} µs of CPU time per request, not what a caller of a real API sees, since no API "
            f"answers in 0 ms. " + ("It misses the goals there" if missed else "It meets the goals even there")
            + (f" (sequential {seq[0]:.2f}" if seq else " (") + (f", 64 concurrent {con[0]:.2f}" if con else "")
            + ").")
    for lat in sorted({k[0] for k in results if duration_ms(k[0]) > 0}, key=duration_ms):
        parts = []
        for mode in ("sequential", "concurrent-64"):
            if (lat, mode) in results:
                r, ms = results[(lat, mode)]
                name = "sequential" if mode == "sequential" else mode.replace("concurrent-", "") + " concurrent"
                goal = GOALS.get(mode)
                parts.append(f"{name} {r:.2f} (runs {rng(ms, 'ratio', '.2f')}"
                             + (f"; goal {goal:.2f}: {verdict(r <= goal)})" if goal else "; no goal)"))
        summary.append(f"- At an upstream latency of {lat}: " + "; ".join(parts) + ".")
    # With requests in flight, the latency alone allows latency / concurrency per
    # request; a side that took much longer was held up by something else: the CPU
    # time of client, proxy and upstream on a busy machine.
    bound = []
    for (lat, mode), (r, ms) in sorted(results.items(), key=lambda kv: duration_ms(kv[0][0])):
        l_us = duration_ms(lat) * 1e3
        if mode != "sequential" and l_us > 0:
            allows = l_us / int(mode.split("-")[1])
            direct, via = mid(ms, "base-ns/op") / 1e3, mid(ms, "ns/op") / 1e3
            if via > 1.25 * allows:
                bound.append(f"at {lat} {via:.0f} µs per request through the proxy and {direct:.0f} directly, "
                             f"where the latency alone allows {allows:.0f}")
    if bound:
        summary.append(
            "- With 64 requests in flight, the runs took longer than the upstream's latency alone explains ("
            + "; ".join(bound) + "): client, proxy and upstream share this machine's "
            f"{env['BENCH_NPROC']} cores with each other and with the rest of its load, so the proxy's CPU "
            "time per request adds to every request's wait. Against an API on another machine the upstream's "
            "share of that CPU time would not be there.")
    if upload:
        mbs = [m["MB/s"] for m in upload if "MB/s" in m]
        rss = [m["MiB-VmHWM-growth"] for m in upload if "MiB-VmHWM-growth" in m]
        heap = [m["MiB-heap-growth"] for m in upload if "MiB-heap-growth" in m]
        if rss:
            summary.append(
                f"- Streamed 256 MiB upload: {statistics.median(mbs):.0f} MB/s (median of {len(mbs)}, "
                f"{min(mbs):.0f}–{max(mbs):.0f}); peak RSS growth at most {max(rss):.1f} MiB over the runs "
                f"(heap growth at most {max(heap):.1f} MiB). Goal under {RSS_GOAL} MiB: {verdict(max(rss) < RSS_GOAL)}.")
        else:
            summary.append(f"- Streamed 256 MiB upload: {statistics.median(mbs):.0f} MB/s; peak RSS not measured "
                           "(no /proc/self/status).")
    summary = "\n".join(summary)

    doc = f"""## The proxy: requests through it against the same requests sent directly

The Go benchmarks of `internal/auth/proxy` (`bench_test.go`). `BenchmarkProxyGET` sends small
GETs to an upstream that waits a latency (0, 2 ms, 20 ms) before it answers, directly with the
token and through a proxy with the provider's own transport, one at a time and 64 at a time.
Issue 9 asks for a ratio of at most {GOALS['sequential']:.2f} sequential, and for a streamed
256 MiB upload to grow the provider's RSS by less than {RSS_GOAL} MiB. At 64 concurrent the ratio
to direct requests measures a second loopback hop on shared cores, not the proxy: issue 18
replaced that goal with the comparison below.

{table}

{summary}
"""
    if bare:
        bare_table, bare_summary = proxy_vs_bare(bare)
        doc += f"""
### The proxy against a bare `httputil.ReverseProxy`

`BenchmarkProxyVsReverseProxy` sends the same GETs through a bare `httputil.ReverseProxy` on a
listener of its own that only sets the `Authorization` header (the least a hand-written proxy
does) and through the provider's proxy with its traffic features on as the provider starts it
(the default retries and request timeout; no cap on concurrency, and no retry needed).
Issue 18 asks for at most {BARE_GOALS['ratio']:.2f} of the bare proxy's wall time and
{BARE_GOALS['cpu-ratio']:.2f} of its CPU time (of the whole process), one at a time and 64 at a time.

{bare_table}

{bare_summary}
"""
        table, summary = table + "\n\n" + bare_table, summary + "\n" + bare_summary
    return doc, table + "\n\n" + summary


sections = [s for s in (token_reuse(), per_read(), proxy()) if s[0]]
launches = "/".join(str(x) for x in sorted({int(r["launches"]) for r in rows}))
tools = {r["tool"] for r in rows}
has_proxy = any("The proxy" in s[0] for s in sections)

how = [f"""- Each case has its own directory, prepared once, outside the timing, by `terraform init`
  (run once per tool, and its result copied to that tool's other directories). Every run is `{env['BENCH_PLAN']}` there (Terraform's default `-parallelism=10`),
  with no state, so every data source is read during the plan.
- Wall time: {env['BENCH_RUNS']} timed runs per case, after one untimed warm-up run; the
  cases are interleaved and the tools of one plan size take turns going first on every run
  ({env['BENCH_TIMED_S']} s in all). A paired ratio compares the plans of one run (they ran back
  to back); its median and interquartile range (IQR) show the difference net of the machine's drift.
- Token calls: the mock's Smartling authenticate + refresh counters (`/_mock/stats`), reset
  before every plan.
- Peak RSS and CPU time: Terraform starts each provider plugin through a wrapper,
  `scripts/bench/rusage`, that runs it as a child and, once it exits, records the peak RSS and
  the user + system CPU time that `wait4` reports for it: the plugin process alone, not
  Terraform and not the wrapper. Peak RSS is the largest over all plugin launches of all runs
  of the case; CPU time is the sum over the launches of one plan. Every provider is wrapped and
  installed the same way, from a filesystem mirror whose binaries are the wrappers (the
  do-nothing provider, which has the provider's address and version, from a mirror of its own).
  Terraform launched each plugin {launches} times per plan."""]
if has_proxy:
    how.append(f"""- Proxy: `{env['BENCH_PROXY_GET']}`, then `{env['BENCH_PROXY_UPLOAD']}`
  ({env['BENCH_PROXY_S']} s in all). The upstream is an `httptest` server in the benchmark's
  process. Each GET benchmark alternates rounds of 10 requests (one at a time) or 640 (64 at a
  time) sent each way (directly, or through the bare ReverseProxy, and through the proxy), the
  side going first alternating too; its ratios (of wall time, and of the process's CPU time) and
  added times are medians over its rounds, and the table gives the median over the `-count`
  runs with their range. µs per request is the wall time of all requests divided by their
  number (with 64 in flight, the inverse of the throughput). Added CPU time is the CPU time of
  the whole process (client, proxy and upstream) through the proxy minus directly, per request.
  The upload is 256 MiB of unknown length (chunked) that the upstream discards; its RSS growth
  is the rise of the process's peak RSS (VmHWM, reset before the upload, in a process of its
  own): of client, proxy and upstream together, so an upper bound of the proxy's own.""")

machine = [
    f"- Date: {env['BENCH_DATE']}",
    f"- Load average (1, 5, 15 min): {env['BENCH_LOAD']}"
    + (f"; during the proxy benchmarks: {env['BENCH_PROXY_LOAD']}" if has_proxy else ""),
    f"- CPU: {env['BENCH_CPU']}, `nproc` = {env['BENCH_NPROC']}; memory {env['BENCH_MEM']}",
    f"- Go {env['BENCH_GO'].removeprefix('go')}, Terraform {env['BENCH_TF']}"
    + (f", hashicorp/http {env['BENCH_HTTP']}\n  (built from the Go module proxy by `scripts/ensure-http-provider.sh`)"
       if "http" in tools else ""),
    f"- Provider commit: {env['BENCH_COMMIT']}",
    f"- Command: `{env['BENCH_CMD']}`",
]

nl = "\n"
doc = f"""# Benchmarks

Generated by `scripts/bench.sh`; do not edit by hand. Regenerate with `make bench`.

{nl.join(s[0] for s in sections)}
## How it is measured

{nl.join(how)}

Machine and versions:
{nl.join(machine)}

The Go micro-benchmarks of the token cache and the adapters (`internal/auth/*_bench_test.go`)
run with `go test -run='^$' -bench=. -benchmem -skip='^BenchmarkProxy' ./internal/...`, which
`make bench` runs after this script.
"""
open(out, "w").write(doc)
print("\n\n".join(s[1] for s in sections))
