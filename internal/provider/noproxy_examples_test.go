package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// proxyURLVar finds a variable set to a proxy's url, as in a provisioner's
// environment: SMARTLING = ephemeral.translationauth_smartling_proxy.api.url
var proxyURLVar = regexp.MustCompile(`(?m)^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*ephemeral\.translationauth_[a-z]+_proxy\.[A-Za-z0-9_-]+\.url\b`)

// curlWord is curl as a command, not as part of another word.
var curlWord = regexp.MustCompile(`(^|[^A-Za-z0-9_-])curl([^A-Za-z0-9_-]|$)`)

// TestExamples_keepProxyURLsOffForwardProxies fails when an example, module,
// template or script calls a proxy's url with curl without keeping the call
// off forward proxies: curl sends even a 127.0.0.1 URL through HTTP_PROXY
// unless --noproxy or NO_PROXY says otherwise, and the URL's prefix, the
// proxy's only credential, then lands in the forward proxy's logs.
func TestExamples_keepProxyURLsOffForwardProxies(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, root := range []string{"../../examples", "../../templates", "../../scripts"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, call := range proxyCurlCalls(string(b)) {
				checked++
				if !call.offProxies {
					t.Errorf("%s:%d calls a proxy url with curl without --noproxy '*' or NO_PROXY=127.0.0.1,localhost in its environment: %s",
						path, call.line, strings.TrimSpace(call.text))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked == 0 {
		t.Fatal("found no curl call of a proxy url: the examples changed, or this test no longer recognises them")
	}
}

// proxyCall is a line that calls a proxy's url with curl.
type proxyCall struct {
	line       int
	text       string
	offProxies bool // --noproxy on the line, or NO_PROXY in the environment that holds the url
}

// proxyCurlCalls finds the lines of text that name curl and a proxy's url,
// directly or through a variable of an environment block.
func proxyCurlCalls(text string) []proxyCall {
	// vars maps each variable set to a proxy's url to whether its
	// environment block also sets NO_PROXY.
	vars := map[string]bool{}
	for _, m := range proxyURLVar.FindAllStringSubmatchIndex(text, -1) {
		name := text[m[2]:m[3]]
		start := max(strings.LastIndex(text[:m[0]], "environment"), 0)
		end := m[1] + strings.Index(text[m[1]:], "}")
		if end < m[1] {
			end = len(text)
		}
		vars[name] = vars[name] || strings.Contains(text[start:end], "NO_PROXY")
	}
	var calls []proxyCall
	for i, l := range strings.Split(text, "\n") {
		if !curlWord.MatchString(l) {
			continue
		}
		noproxy := strings.Contains(l, "--noproxy")
		if strings.Contains(l, "_proxy.") && strings.Contains(l, ".url") {
			calls = append(calls, proxyCall{line: i + 1, text: l, offProxies: noproxy})
			continue
		}
		for name, envNoProxy := range vars {
			if strings.Contains(l, "$"+name) || strings.Contains(l, "${"+name+"}") {
				calls = append(calls, proxyCall{line: i + 1, text: l, offProxies: noproxy || envNoProxy})
				break
			}
		}
	}
	return calls
}

// TestProxyCurlCalls checks the detector on each way a call can be written.
func TestProxyCurlCalls(t *testing.T) {
	t.Parallel()
	env := func(extra string) string {
		return "environment = {\n  API = ephemeral.translationauth_smartling_proxy.api.url\n" + extra + "}\n"
	}
	cases := []struct {
		name string
		text string
		want []bool // offProxies of each call found, in order
	}{
		{"bare curl of a proxy variable", env("") + `command = "curl -fsS \"$API/x\""`, []bool{false}},
		{"curl --noproxy", env("") + `command = "curl --noproxy '*' -fsS \"$API/x\""`, []bool{true}},
		{"NO_PROXY in the environment", env(`  NO_PROXY = "127.0.0.1,localhost"`+"\n") + `command = "curl \"${API}/x\""`, []bool{true}},
		{"the url interpolated", `command = "curl ${ephemeral.translationauth_easytranslate_proxy.p.url}/x"`, []bool{false}},
		{"curl of a token's api_base_url", "environment = {\n  API = ephemeral.translationauth_smartling_token.t.api_base_url\n}\n" + `command = "curl \"$API/x\""`, nil},
		{"curl in another word", env("") + `command = "libcurl-config $API"`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var got []bool
			for _, call := range proxyCurlCalls(c.text) {
				got = append(got, call.offProxies)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("calls found (off proxies?) %v, want %v", got, c.want)
			}
		})
	}
}
