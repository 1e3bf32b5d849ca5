package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/store"
)

// TestTooLargeReply: a body over Limits.MaxFile gets 413 with the JSON refusal of
// docs/sync-format.md, over HTTP/1.1 and HTTP/2, with the length given or not.
func TestTooLargeReply(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	office.n.o.Limits.MaxFile = 1000
	for _, h2 := range []bool{false, true} {
		srv := httptest.NewUnstartedServer(office.n.Handler())
		srv.EnableHTTP2 = h2
		srv.StartTLS()
		c := srv.Client()
		for _, size := range []int{1001, 5000, 3 << 20} {
			for _, known := range []bool{true, false} {
				var body io.Reader = bytes.NewReader(make([]byte, size))
				if !known {
					body = io.MultiReader(body) // no length: sent chunked
				}
				resp, err := c.Post(srv.URL+pathPush, "application/octet-stream", body)
				if err != nil {
					t.Fatalf("h2 %v, %d bytes: %v", h2, size, err)
				}
				data, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				var rep errorReply
				if jerr := json.Unmarshal(data, &rep); err != nil || jerr != nil || resp.StatusCode != http.StatusRequestEntityTooLarge ||
					rep.Kind != ErrTooLarge.EN || !strings.HasPrefix(rep.VI, ErrTooLarge.VI) || !strings.HasPrefix(rep.EN, ErrTooLarge.EN) {
					t.Errorf("h2 %v, %d bytes, length known %v: %s %q (%v)", h2, size, known, resp.Status, data, err)
				}
				if h2 && resp.ProtoMajor != 2 {
					t.Errorf("not HTTP/2: %s", resp.Proto)
				}
			}
		}
		srv.Close()
	}
}

// TestRevokeUnknownDevice: revoking a device that is not enrolled says so, not "household not
// found".
func TestRevokeUnknownDevice(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	_, err := office.n.Revoke("dev-missing")
	if !errors.Is(err, ErrNoDevice) || !strings.Contains(store.Message(err, "vi"), "dev-missing") ||
		!strings.Contains(store.Message(err, "en"), "No such device is enrolled") {
		t.Fatalf("%v", err)
	}
}
