package auth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi/mocktest"
)

func TestOAuth_requestsAsDocumented(t *testing.T) {
	t.Parallel()
	creds := OAuthCredentials{ClientID: "cid", ClientSecret: "csecret", Username: "me@example.com", Password: "pw"}
	cases := []struct {
		name     string
		adapter  func(c *Client, base string, creds OAuthCredentials) *OAuthAdapter
		scope    string
		path     string
		password url.Values
		refresh  url.Values
	}{
		{
			name: "EasyTranslate", adapter: NewEasyTranslate, scope: "dashboard", path: "/prefix/oauth/token",
			password: url.Values{"grant_type": {"password"}, "client_id": {"cid"}, "client_secret": {"csecret"},
				"username": {"me@example.com"}, "password": {"pw"}, "scope": {"dashboard"}},
			refresh: url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"RT-1"}, "client_id": {"cid"},
				"client_secret": {"csecret"}, "scope": {"dashboard"}},
		},
		{
			name: "EasyTranslate with two scopes", adapter: NewEasyTranslate, scope: "dashboard api", path: "/prefix/oauth/token",
			password: url.Values{"grant_type": {"password"}, "client_id": {"cid"}, "client_secret": {"csecret"},
				"username": {"me@example.com"}, "password": {"pw"}, "scope": {"dashboard api"}},
			refresh: url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"RT-1"}, "client_id": {"cid"},
				"client_secret": {"csecret"}, "scope": {"dashboard api"}},
		},
		{
			name: "SmartConnect", adapter: NewSmartConnect, path: "/prefix/token",
			password: url.Values{"grant_type": {"password"}, "client_id": {"cid"}, "client_secret": {"csecret"},
				"username": {"me@example.com"}, "password": {"pw"}},
			refresh: url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"RT-1"}, "client_id": {"cid"},
				"client_secret": {"csecret"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := newRecordingServer(t, func(w http.ResponseWriter, _ recordedRequest) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Request-Id", "rid-9")
				_, _ = io.WriteString(w, `{"token_type":"bearer","expires_in":1799,"access_token":"AT-1","refresh_token":"RT-1"}`)
			})
			cr := creds
			cr.Scope = c.scope
			a := c.adapter(testClient(ClientOptions{}), srv.URL+"/prefix/", cr)
			tok := mustAuthenticateThenRefresh(t, a, "RT-1")
			if want := (Token{AccessToken: "AT-1", RefreshToken: "RT-1", ExpiresIn: 1799 * time.Second, RequestID: "rid-9"}); *tok != want {
				t.Errorf("token %+v, want %+v", *tok, want)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
			for i, want := range []url.Values{c.password, c.refresh} {
				r := reqs[i]
				r.checkShape(t, i, c.path, "application/x-www-form-urlencoded")
				got, err := url.ParseQuery(string(r.Body))
				if err != nil {
					t.Fatalf("request %d: body %q: %v", i, r.Body, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("request %d: form %v, want exactly %v", i, got, want)
				}
			}
		})
	}
}

func TestOAuth_specialCharactersArriveIntact(t *testing.T) {
	t.Parallel()
	const (
		clientID     = "client id+&="
		clientSecret = "s&cr=t+%2B %20/?#\"'\\ é"
		username     = "first.last+tag@example.com"
		password     = "p@ss&w=rd+ %41%zz;\u00e9🔑\t"
	)
	cfg := mockapi.DefaultConfig()
	cfg.EasyTranslate.Clients = map[string]string{clientID: clientSecret}
	cfg.EasyTranslate.Users = map[string]string{username: password}
	cfg.SmartConnect.Clients = map[string]string{clientID: clientSecret}
	cfg.SmartConnect.Users = map[string]string{username: password}
	m := mocktest.New(t, cfg)
	creds := OAuthCredentials{ClientID: clientID, ClientSecret: clientSecret, Username: username, Password: password}
	et := creds
	et.Scope = DefaultEasyTranslateScope
	for p, a := range map[Platform]*OAuthAdapter{
		EasyTranslate: NewEasyTranslate(testClient(ClientOptions{}), m.BaseURL(EasyTranslate), et),
		SmartConnect:  NewSmartConnect(testClient(ClientOptions{}), m.BaseURL(SmartConnect), creds),
	} {
		tok, err := a.Authenticate(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if _, err := a.Refresh(context.Background(), tok.RefreshToken); err != nil {
			t.Fatalf("%s refresh: %v", p, err)
		}
		for _, c := range m.Calls(p) {
			for field, want := range map[string]string{"client_id": clientID, "client_secret": clientSecret} {
				if got := c.Form.Get(field); got != want {
					t.Errorf("%s %s: %s arrived as %q, want %q", p, c.Op, field, got, want)
				}
			}
			if c.Op == mockapi.OpAuthenticate && (c.Form.Get("username") != username || c.Form.Get("password") != password) {
				t.Errorf("%s: username %q password %q arrived altered", p, c.Form.Get("username"), c.Form.Get("password"))
			}
		}
	}
}

func TestOAuth_successShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		contentType string
		body        string
		want        Token
	}{
		{"SmartConnect without lifetime or refresh token", "application/json",
			`{"access_token":"AT","token_type":"bearer"}`, Token{AccessToken: "AT", AssumedLifetime: 1799 * time.Second}},
		{"expires_in of 0", "application/json", `{"access_token":"AT","expires_in":0}`, Token{AccessToken: "AT"}},
		{"negative expires_in", "application/json", `{"access_token":"AT","expires_in":-5}`, Token{AccessToken: "AT"}},
		{"ASP.NET extra fields", "application/json;charset=UTF-8",
			`{"access_token":"AT","token_type":"bearer","expires_in":1799,"refresh_token":"RT",".issued":"Sat, 21 Nov 2026 12:00:00 GMT",".expires":"Sat, 21 Nov 2026 12:29:59 GMT","userName":"x"}`,
			Token{AccessToken: "AT", RefreshToken: "RT", ExpiresIn: 1799 * time.Second}},
		{"expires_in as a string", "application/json", `{"access_token":"AT","expires_in":"3600"}`,
			Token{AccessToken: "AT", ExpiresIn: time.Hour}},
		{"form-encoded answer", "application/x-www-form-urlencoded", `access_token=AT&token_type=bearer&refresh_token=RT`,
			Token{AccessToken: "AT", RefreshToken: "RT", AssumedLifetime: 1799 * time.Second}},
		{"form-encoded answer with a lifetime", "application/x-www-form-urlencoded", `access_token=AT&token_type=bearer&expires_in=1799`,
			Token{AccessToken: "AT", ExpiresIn: 1799 * time.Second}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := newRecordingServer(t, func(w http.ResponseWriter, _ recordedRequest) {
				w.Header().Set("Content-Type", c.contentType)
				_, _ = io.WriteString(w, c.body)
			})
			tok, err := NewSmartConnect(testClient(ClientOptions{}), srv.URL, OAuthCredentials{ClientID: "c", ClientSecret: "s",
				Username: "u", Password: "p"}).Authenticate(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if *tok != c.want {
				t.Errorf("token %+v, want %+v", *tok, c.want)
			}
		})
	}
}

func TestOAuthError(t *testing.T) {
	t.Parallel()
	resp := func(status int, contentType string) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}, "X-Request-Id": {"rid-3"}}}
	}
	cases := []struct {
		name     string
		re       *oauth2.RetrieveError
		want     *Error
		contains []string
	}{
		{"Passport invalid_grant", &oauth2.RetrieveError{Response: resp(400, "application/json"), ErrorCode: "invalid_grant",
			ErrorDescription: "The user credentials were incorrect.",
			Body:             []byte(`{"error":"invalid_grant","error_description":"The user credentials were incorrect.","message":"The user credentials were incorrect."}`)},
			&Error{Platform: EasyTranslate, Status: 400, Kind: KindRejected, Code: "invalid_grant", Message: "The user credentials were incorrect.", RequestID: "rid-3"},
			[]string{"HTTP 400 invalid_grant: The user credentials were incorrect.", "[request id rid-3]"}},
		{"Laravel message only", &oauth2.RetrieveError{Response: resp(401, "application/json"),
			Body: []byte(`{"message":"Unauthenticated."}`)},
			&Error{Platform: EasyTranslate, Status: 401, Kind: KindRejected, Message: "Unauthenticated.", RequestID: "rid-3",
				Detail: "the answer carries no OAuth2 error code"}, nil},
		{"error in a 200 answer", &oauth2.RetrieveError{Response: resp(200, "application/json"), ErrorCode: "invalid_request",
			Body: []byte(`{"error":"invalid_request"}`)},
			&Error{Platform: EasyTranslate, Status: 200, Kind: KindRejected, Code: "invalid_request", RequestID: "rid-3"}, nil},
		{"HTML 503", &oauth2.RetrieveError{Response: resp(503, "text/html"), Body: []byte(mockapi.HTMLBody)},
			&Error{Platform: EasyTranslate, Status: 503, Kind: KindServer, RequestID: "rid-3",
				Detail: "the answer is not JSON (text/html); a proxy or gateway may have answered instead of the API"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := oauthError(EasyTranslate, c.re)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
			containsAll(t, got.Error(), c.contains...)
		})
	}
}

// answerTransport answers every request with one response whose body ends
// with readErr (io.EOF when nil), or fails with err.
type answerTransport struct {
	status      int
	contentType string
	body        string
	readErr     error
	err         error
}

func (a answerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if a.err != nil {
		return nil, a.err
	}
	h := http.Header{"X-Request-Id": {"rid-4"}}
	if a.contentType != "" {
		h.Set("Content-Type", a.contentType)
	}
	return &http.Response{StatusCode: a.status, Header: h, Request: req,
		Body: &replayBody{r: bytes.NewReader([]byte(a.body)), err: a.readErr}}, nil
}

// x/oauth2 returns plain errors for success answers it cannot use; the
// adapter tells them apart from the answer the transport kept, not from the
// errors' texts.
func TestOAuth_unusableAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		transport answerTransport
		status    int
		kind      ErrorKind
		detail    string
	}{
		{"missing access_token", answerTransport{status: 200, contentType: "application/json", body: `{"token_type":"bearer"}`},
			200, KindNoToken, "the answer carries no access_token"},
		{"form without access_token", answerTransport{status: 200, contentType: "application/x-www-form-urlencoded", body: `token_type=bearer`},
			200, KindNoToken, "the answer carries no access_token"},
		{"cannot parse", answerTransport{status: 200, contentType: "application/json", body: `<html>`},
			200, KindBadResponse, "the answer is not a valid token response"},
		{"body cut off", answerTransport{status: 200, contentType: "application/json", body: `{"access_token":"AT`, readErr: io.ErrUnexpectedEOF},
			200, KindBadResponse, "the answer was cut off before its end"},
		{"transport error", answerTransport{err: errors.New("connection refused")},
			0, KindNetwork, "could not connect: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := NewEasyTranslate(NewClient(ClientOptions{Transport: c.transport}), "https://et.example",
				OAuthCredentials{ClientID: "c", ClientSecret: "client-secret", Username: "u", Password: "password"})
			_, err := a.Authenticate(context.Background())
			e := mustError(t, err)
			if e.Platform != EasyTranslate || e.Operation != OpAuthenticate || e.Status != c.status || e.Kind != c.kind ||
				!strings.HasPrefix(e.Detail, c.detail) || e.Code != "" || e.Message != "" {
				t.Errorf("got platform %q operation %q status %d kind %v detail %q code %q message %q; want EasyTranslate authenticate %d %v %q",
					e.Platform, e.Operation, e.Status, e.Kind, e.Detail, e.Code, e.Message, c.status, c.kind, c.detail)
			}
			if wantID := map[bool]string{true: "rid-4", false: ""}[c.status != 0]; e.RequestID != wantID {
				t.Errorf("request id %q, want %q", e.RequestID, wantID)
			}
		})
	}
}
