package proxy_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
)

// staticToken is the cheapest TokenSource: what the provider's cache costs
// on a hit is measured in internal/auth.
type staticToken string

func (s staticToken) Token(context.Context) (string, error) { return string(s), nil }
func (staticToken) Invalidate(string)                       {}

const benchToken = "bench-token"

// benchAPI is the upstream of the benchmarks: it answers a small JSON body to
// requests with the token, after waiting its latency, and discards request
// bodies.
type benchAPI struct {
	*httptest.Server
	latency atomic.Int64 // how long each answer waits, in nanoseconds
}

func newBenchAPI(b *testing.B) *benchAPI {
	b.Helper()
	api := &benchAPI{}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+benchToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if d := time.Duration(api.latency.Load()); d > 0 {
			time.Sleep(d)
		}
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"ok":true,"read":%d}`, n)
	}))
	b.Cleanup(api.Close)
	return api
}

// benchSetup starts the upstream, a proxy in front of it with the transport
// the provider's proxies use (Config.Transport nil: the proxy's own) and the
// provider's default retries and request timeout, and a client.
func benchSetup(b *testing.B) (*benchAPI, *proxy.Proxy, *http.Client) {
	b.Helper()
	api := newBenchAPI(b)
	p, err := proxy.Start(proxy.Config{Upstream: api.URL, Tokens: staticToken(benchToken),
		MaxRetries: auth.DefaultMaxRetries, RequestTimeout: auth.DefaultTimeout})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = p.Close() })
	return api, p, &http.Client{Transport: benchTransport(b)}
}

func benchTransport(b *testing.B) *http.Transport {
	b.Helper()
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, DisableCompression: true}
	b.Cleanup(tr.CloseIdleConnections)
	return tr
}

// cost is what a batch of requests took: wall time, and the CPU time of the
// whole process (client, proxy and upstream).
type cost struct{ wall, cpu time.Duration }

// run sends n requests from conc goroutines and returns what they took.
func run(b *testing.B, c *http.Client, n, conc int, u, token string) cost {
	b.Helper()
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	begin, cpu := time.Now(), cpuTime()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				req, _ := http.NewRequest(http.MethodGet, u, nil)
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				resp, err := c.Do(req)
				if err != nil {
					failed.Store(err.Error())
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Store(resp.Status)
					return
				}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		b.Fatal(f)
	}
	return cost{time.Since(begin), cpuTime() - cpu}
}

// benchLatencies are the upstream answer times BenchmarkProxyGET runs at.
// At 0 (a loopback server that answers at once) the ratio is the proxy's raw
// cost: two loopback exchanges instead of one. A real API answers in
// milliseconds, and the ratio at 2 ms and 20 ms is what a caller sees.
var benchLatencies = []time.Duration{0, 2 * time.Millisecond, 20 * time.Millisecond}

// benchModes are the concurrencies every GET benchmark runs at.
var benchModes = []int{1, 64}

func modeName(conc int) string {
	if conc > 1 {
		return fmt.Sprintf("concurrent-%d", conc)
	}
	return "sequential"
}

// side is one way of sending the benchmark's GETs: a URL, and the token to
// send with them if the URL does not add it.
type side struct{ url, token string }

// compare sends b.N requests each way, from conc goroutines, in alternating
// short rounds so that both see the same load on a shared machine (the side
// going first alternates too), and reports them: ns/op is via's wall time
// per request, base-ns/op base's; ratio and cpu-ratio (via/base, of wall time
// and of the process's CPU time) and what via adds per request, to the wall
// time (added-us/op) and to the CPU time (added-cpu-us/op), are medians over
// the rounds, so that a stall of the machine in one round does not decide
// them.
func compare(b *testing.B, c *http.Client, conc int, base, via side) {
	b.Helper()
	// Warm both connection pools.
	run(b, c, conc, conc, base.url, base.token)
	run(b, c, conc, conc, via.url, via.token)
	var baseWall, viaWall time.Duration
	var ratios, cpuRatios, added, addedCPU []float64
	b.ResetTimer()
	for round, done := 0, 0; done < b.N; round++ {
		n := min(b.N-done, 10*conc)
		var d, v cost
		if round%2 == 0 {
			d = run(b, c, n, conc, base.url, base.token)
			v = run(b, c, n, conc, via.url, via.token)
		} else {
			v = run(b, c, n, conc, via.url, via.token)
			d = run(b, c, n, conc, base.url, base.token)
		}
		if n == 10*conc || done == 0 { // full rounds, or the only one
			ratios = append(ratios, float64(v.wall)/float64(d.wall))
			added = append(added, float64(v.wall-d.wall)/float64(n)/1e3)
			addedCPU = append(addedCPU, float64(v.cpu-d.cpu)/float64(n)/1e3)
			if d.cpu > 0 {
				cpuRatios = append(cpuRatios, float64(v.cpu)/float64(d.cpu))
			}
		}
		baseWall, viaWall, done = baseWall+d.wall, viaWall+v.wall, done+n
	}
	b.StopTimer()
	perOp := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) }
	b.ReportMetric(perOp(viaWall), "ns/op")
	b.ReportMetric(perOp(baseWall), "base-ns/op")
	b.ReportMetric(median(added), "added-us/op")
	b.ReportMetric(median(addedCPU), "added-cpu-us/op")
	b.ReportMetric(median(ratios), "ratio")
	if len(cpuRatios) > 0 {
		b.ReportMetric(median(cpuRatios), "cpu-ratio")
	}
}

// BenchmarkProxyGET sends the same small GETs straight to the upstream (with
// the token: base) and through the proxy, one at a time and 64 at a time, at
// each upstream latency.
func BenchmarkProxyGET(b *testing.B) {
	api, p, c := benchSetup(b)
	for _, latency := range benchLatencies {
		for _, conc := range benchModes {
			b.Run(fmt.Sprintf("latency=%s/%s", latency, modeName(conc)), func(b *testing.B) {
				api.latency.Store(int64(latency))
				compare(b, c, conc, side{api.URL + "/api/x", benchToken}, side{p.URL() + "/api/x", ""})
			})
		}
	}
}

// bareLatencies are the upstream answer times BenchmarkProxyVsReverseProxy
// runs at: at 0 the ratio is that of the two proxies' own costs.
var bareLatencies = []time.Duration{0, 2 * time.Millisecond}

// BenchmarkProxyVsReverseProxy sends the same small GETs through the proxy
// (base: a bare httputil.ReverseProxy on its own listener that only sets the
// Authorization header, the least a hand-written proxy does) and through the
// provider's proxy with its traffic features on as the provider starts it
// (retries, a request timeout; no cap on concurrency, and no retry needed).
func BenchmarkProxyVsReverseProxy(b *testing.B) {
	api, p, c := benchSetup(b)
	target, err := url.Parse(api.URL)
	if err != nil {
		b.Fatal(err)
	}
	upstream := cleanhttp.DefaultPooledTransport()
	upstream.MaxIdleConnsPerHost = 64
	b.Cleanup(upstream.CloseIdleConnections)
	bare := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Header.Set("Authorization", "Bearer "+benchToken)
		},
		Transport: upstream,
	})
	b.Cleanup(bare.Close)
	for _, latency := range bareLatencies {
		for _, conc := range benchModes {
			b.Run(fmt.Sprintf("latency=%s/%s", latency, modeName(conc)), func(b *testing.B) {
				api.latency.Store(int64(latency))
				compare(b, c, conc, side{bare.URL + "/api/x", ""}, side{p.URL() + "/api/x", ""})
			})
		}
	}
}

// BenchmarkProxyAllocs sends GETs through the proxy one at a time and
// reports the allocations per request (-benchmem) of client, proxy and
// upstream together: compare two commits to see what the proxy adds.
func BenchmarkProxyAllocs(b *testing.B) {
	_, p, c := benchSetup(b)
	run(b, c, 1, 1, p.URL()+"/api/x", "")
	b.ReportAllocs()
	b.ResetTimer()
	run(b, c, b.N, 1, p.URL()+"/api/x", "")
}

func median(xs []float64) float64 {
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	return xs[len(xs)/2]
}

// zeros is an upload body of n bytes that costs next to nothing to make.
type zeros struct{ left int64 }

var zeroBlock = make([]byte, 64<<10)

func (z *zeros) Read(b []byte) (int, error) {
	if z.left == 0 {
		return 0, io.EOF
	}
	n := copy(b[:min(int64(len(b)), z.left)], zeroBlock)
	z.left -= int64(n)
	return n, nil
}

// resetHWM sets the process's peak resident set size to its current one
// (Linux 4.0 and later), so that an earlier peak, such as that of
// BenchmarkProxyGET in the same process, cannot hide the growth measured.
func resetHWM() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// vmHWM is the process's peak resident set size in bytes (Linux), or 0.
func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkProxyUpload256MiB streams 256 MiB of unknown length through the
// proxy and reports how far the heap (sampled every 5 ms) and the peak RSS
// grew meanwhile: of client, proxy and upstream together, so an upper bound
// of the proxy's own.
func BenchmarkProxyUpload256MiB(b *testing.B) {
	const size = 256 << 20
	_, p, c := benchSetup(b)

	runtime.GC()
	resetHWM()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap, baseHWM := ms.HeapInuse, vmHWM()
	var peak atomic.Uint64
	peak.Store(baseHeap)
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()

	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		req, _ := http.NewRequest(http.MethodPut, p.URL()+"/api/upload", &zeros{left: size})
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if want := fmt.Sprintf(`{"ok":true,"read":%d}`, size); resp.StatusCode != 200 || string(body) != want {
			b.Fatalf("%s %s", resp.Status, body)
		}
	}
	b.StopTimer()
	close(stop)
	<-sampled
	const mib = 1 << 20
	b.ReportMetric(float64(peak.Load()-baseHeap)/mib, "MiB-heap-growth")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm-baseHWM)/mib, "MiB-VmHWM-growth")
	}
}
