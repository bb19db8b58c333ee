package auth

import (
	"strings"
	"testing"
)

func TestHostTable_endpoints(t *testing.T) {
	t.Parallel()
	sc, err := SmartConnectHosts.Endpoints("EU2")
	if err != nil {
		t.Fatal(err)
	}
	if want := (SmartConnectEndpoints{Region: "EU2", TokenURL: "https://apieuw2.smartconnect.com/token",
		APIBaseURL: "https://apieuw2.smartconnect.com", SwaggerURL: "https://apieuw2.smartconnect.com/swagger"}); sc != want {
		t.Errorf("SmartConnect EU2: got %+v, want %+v", sc, want)
	}
	et, err := EasyTranslateHosts.Endpoints("sandbox")
	if err != nil {
		t.Fatal(err)
	}
	if want := (EasyTranslateEndpoints{Environment: "sandbox", TokenURL: "https://api.platform.sandbox.easytranslate.com/oauth/token",
		APIBaseURL: "https://api.platform.sandbox.easytranslate.com"}); et != want {
		t.Errorf("EasyTranslate sandbox: got %+v, want %+v", et, want)
	}
	if got := SmartConnectHosts.Below("NA", "http://127.0.0.1:8080/sc/"); got.TokenURL != "http://127.0.0.1:8080/sc/token" || got.Region != "NA" {
		t.Errorf("below a base_url: got %+v", got)
	}
	_, err = SmartConnectHosts.Endpoints("na")
	if err == nil || !strings.Contains(err.Error(), `unknown SmartConnect region "na": valid regions are NA, NA2, NA3, UK, EU, EU2, AU`) {
		t.Errorf("lower-case region: %v", err)
	}
}
