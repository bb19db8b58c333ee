package proxy_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth/proxy"
)

// staticToken is the cheapest TokenSource: what the provider's cache costs
// on a hit is measured in internal/auth.
type staticToken string

func (s staticToken) Token(context.Context) (string, error) { return string(s), nil }
func (staticToken) Invalidate(string)                       {}

const benchToken = "bench-token"

// benchUpstream answers a small JSON body to requests with the token and
// discards request bodies.
func benchUpstream(b *testing.B) *httptest.Server {
	b.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+benchToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"ok":true,"read":%d}`, n)
	}))
	b.Cleanup(up.Close)
	return up
}

// benchSetup starts the upstream, a proxy in front of it and a client.
func benchSetup(b *testing.B) (*httptest.Server, *proxy.Proxy, *http.Client) {
	b.Helper()
	up := benchUpstream(b)
	p, err := proxy.Start(proxy.Config{Upstream: up.URL, Tokens: staticToken(benchToken), Transport: benchTransport(b)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = p.Close() })
	return up, p, &http.Client{Transport: benchTransport(b)}
}

func benchTransport(b *testing.B) *http.Transport {
	b.Helper()
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, DisableCompression: true}
	b.Cleanup(tr.CloseIdleConnections)
	return tr
}

// run sends n requests from conc goroutines and returns the time taken.
func run(b *testing.B, c *http.Client, n, conc int, u, token string) time.Duration {
	b.Helper()
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	begin := time.Now()
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
	return time.Since(begin)
}

// BenchmarkProxyGET sends the same small GETs straight to the upstream (with
// the token) and through the proxy, in one run, and reports both and their
// ratio; ns/op is the proxy's.
func BenchmarkProxyGET(b *testing.B) {
	up, p, c := benchSetup(b)
	for _, conc := range []int{1, 64} {
		name := "sequential"
		if conc > 1 {
			name = fmt.Sprintf("concurrent-%d", conc)
		}
		b.Run(name, func(b *testing.B) {
			// Warm both connection pools.
			run(b, c, conc, conc, up.URL+"/api/x", benchToken)
			run(b, c, conc, conc, p.URL()+"/api/x", "")
			// Alternate rounds of each so that both see the same load
			// on a shared machine.
			var direct, via time.Duration
			b.ResetTimer()
			for done := 0; done < b.N; {
				n := min(b.N-done, max(20*conc, 100))
				direct += run(b, c, n, conc, up.URL+"/api/x", benchToken)
				via += run(b, c, n, conc, p.URL()+"/api/x", "")
				done += n
			}
			b.StopTimer()
			perOp := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) }
			b.ReportMetric(perOp(via), "ns/op")
			b.ReportMetric(perOp(direct), "direct-ns/op")
			b.ReportMetric(perOp(via)/perOp(direct), "ratio")
		})
	}
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
// proxy and reports how far the heap (client, proxy and upstream together,
// sampled every 5 ms) and the peak RSS grew meanwhile.
func BenchmarkProxyUpload256MiB(b *testing.B) {
	const size = 256 << 20
	_, p, c := benchSetup(b)

	runtime.GC()
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
