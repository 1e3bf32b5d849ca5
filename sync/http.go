package sync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rasoat/rasoat/store"
)

// The LAN protocol: HTTPS (TLS 1.3, the office's self-signed certificate pinned by its
// fingerprint) with two requests, each carrying one sealed up-batch as its body:
//
//	POST /v1/push   an up-batch with revisions → JSON pushReply (the acknowledgement)
//	POST /v1/pull   an up-batch (usually empty) saying what the laptop has → a sealed
//	                down-batch for it (Header.More: pull again)
//
// A refused batch gives HTTP 4xx and a JSON errorReply.
const (
	pathPush = "/v1/push"
	pathPull = "/v1/pull"
)

type pushReply struct {
	Ack     uint64 `json:"ack"`   // the office has the sender's revisions 1…Ack
	Stamp   int64  `json:"stamp"` // the office's clock, to order acknowledgements
	Added   int    `json:"added"`
	Pending bool   `json:"pending"`
}

type errorReply struct {
	Kind string `json:"kind"` // the English message of the error's kind
	VI   string `json:"vi"`
	EN   string `json:"en"`
}

// Handler serves the office's sync endpoints. Serve wraps it in TLS; it is exported for
// tests and for embedding.
func (n *Node) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+pathPush, n.handlePush)
	mux.HandleFunc("POST "+pathPull, n.handlePull)
	return mux
}

func (n *Node) readBatch(w http.ResponseWriter, r *http.Request) (BatchResult, bool) {
	if r.ContentLength > n.o.Limits.MaxFile {
		n.refuseTooLarge(w, r) // before reading it
		return BatchResult{}, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, n.o.Limits.MaxFile))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			n.refuseTooLarge(w, r)
		}
		return BatchResult{}, false // the connection broke: nobody to answer
	}
	res, err := n.Import(body)
	if err != nil {
		replyError(w, err)
		return res, false
	}
	return res, true
}

// refuseTooLarge answers a request whose body is over Limits.MaxFile with 413 and the JSON of
// ErrTooLarge. Over HTTP/2 it then reads on (at most MaxFile more bytes) until the client has
// sent its body: a client that meets the answer while still sending, like curl, drops the
// answer's body when the stream is reset under it. HTTP/1 closes the connection instead.
func (n *Node) refuseTooLarge(w http.ResponseWriter, r *http.Request) {
	replyError(w, errorf(ErrTooLarge, nil, "tối đa %d byte", "at most %d bytes", n.o.Limits.MaxFile))
	if r.ProtoMajor < 2 {
		return
	}
	rc := http.NewResponseController(w)
	rc.Flush()
	rc.SetReadDeadline(time.Now().Add(drainTime))
	io.Copy(io.Discard, io.LimitReader(r.Body, n.o.Limits.MaxFile))
}

// drainTime bounds how long refuseTooLarge reads on.
const drainTime = 10 * time.Second

func (n *Node) handlePush(w http.ResponseWriter, r *http.Request) {
	res, ok := n.readBatch(w, r)
	if !ok {
		return
	}
	ack, err := n.st.LastSeq(res.Header.From)
	if err != nil {
		replyError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(pushReply{Ack: ack, Stamp: n.now().UnixNano(),
		Added: res.Added, Pending: res.Pending})
}

func (n *Node) handlePull(w http.ResponseWriter, r *http.Request) {
	res, ok := n.readBatch(w, r)
	if !ok {
		return
	}
	data, err := n.DownFor(res.Header.From, res.Header.Have)
	if err != nil {
		replyError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(data)
}

// DownFor makes the next sealed down-batch for an enrolled device that has have: its
// acknowledgement, the assignments, the office's score table (its file unless the device said
// it has it) and what it lacks, at most Options.BatchRevisions revisions (Header.More says when
// more remain).
func (n *Node) DownFor(device string, have map[string]uint64) ([]byte, error) {
	if !n.isOffice() {
		return nil, ErrNotOffice
	}
	k, _, ok, err := n.loadKeys()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotOffice
	}
	d, ok, err := n.st.SyncDevice(device)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf(ErrUnknownDevice, nil, "%s", "%s", device)
	}
	if !d.Revoked.IsZero() {
		return nil, errorf(ErrRevoked, nil, "%s", "%s", device)
	}
	officeHave, err := n.st.Devices()
	if err != nil {
		return nil, err
	}
	revs, more, err := n.planDown(device, have, officeHave, n.o.BatchRevisions)
	if err != nil {
		return nil, err
	}
	as, err := n.assignments()
	if err != nil {
		return nil, err
	}
	table, err := n.downScoreTable(device)
	if err != nil {
		return nil, err
	}
	return n.downBatch(d, k, revs, more, officeHave[device], as, table)
}

func replyError(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	k := kindOf(err)
	switch k {
	case ErrTooLarge:
		code = http.StatusRequestEntityTooLarge
	case ErrUnknownDevice, ErrRevoked, ErrBadSignature:
		code = http.StatusForbidden
	case nil:
	default:
		code = http.StatusBadRequest
	}
	rep := errorReply{VI: store.Message(err, "vi"), EN: store.Message(err, "en")}
	if k != nil {
		rep.Kind = k.EN
	}
	body, _ := json.Marshal(rep)
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	// The length lets a client read the answer while it is still sending (refuseTooLarge).
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	w.Write(body)
}

// Serve runs the office's sync server on ln with its certificate until ctx ends, then shuts
// it down (waiting up to 10 s for requests in flight).
func (n *Node) Serve(ctx context.Context, ln net.Listener) error {
	if _, err := n.SetupOffice(); err != nil {
		return err
	}
	k, _, _, err := n.loadKeys()
	if err != nil {
		return err
	}
	cert, err := tlsCertificate(k)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           n.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13},
	}
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		<-done
		return err
	}
}

// pinnedClient is an HTTPS client that accepts only the certificate with the fingerprint.
func (n *Node) pinnedClient(fingerprint string) *http.Client {
	want := strings.ToLower(fingerprint)
	tr := &http.Transport{
		Proxy: nil,
		DialContext: (&net.Dialer{
			Timeout:   15 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS13,
			// The chain is not checked against any authority: the certificate is self-signed
			// and pinned by fingerprint instead, below.
			InsecureSkipVerify: true,
			VerifyConnection: func(cs tls.ConnectionState) error {
				if len(cs.PeerCertificates) == 0 {
					return ErrCertificate
				}
				sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
				if hex.EncodeToString(sum[:]) != want {
					return ErrCertificate
				}
				return nil
			},
		},
		TLSHandshakeTimeout: 15 * time.Second,
		MaxIdleConnsPerHost: 2,
		ForceAttemptHTTP2:   true,
	}
	return &http.Client{Transport: tr, Timeout: n.o.HTTPTimeout}
}

// SyncNow syncs the laptop with the office over the LAN, at the address of its enrollment:
// see SyncWith.
func (n *Node) SyncNow(ctx context.Context, progress func(done, total int)) (Result, error) {
	p, _, err := n.laptop()
	if err != nil {
		return Result{Time: n.now()}, err
	}
	if p.Address == "" {
		return Result{Time: n.now()}, errorf(ErrNetwork, nil, "gói đăng ký không có địa chỉ máy chủ", "the enrollment package has no server address")
	}
	return n.SyncWith(ctx, "https://"+p.Address, progress)
}

// SyncWith syncs the laptop with the office's sync server at url (https://HOST:PORT): it
// pushes the revisions the office has not acknowledged, in batches, then pulls what is new for
// it until nothing is left. A request that fails is tried again (Options.Attempts) from the
// last acknowledged batch, so a cut connection resumes where it stopped. progress, if not nil,
// gets the revisions sent and received so far against those known to go.
func (n *Node) SyncWith(ctx context.Context, url string, progress func(done, total int)) (Result, error) {
	return n.exchange(ctx, url, true, true, progress)
}

// Push sends the office the revisions it has not acknowledged, and pulls nothing.
func (n *Node) Push(ctx context.Context, url string, progress func(done, total int)) (Result, error) {
	return n.exchange(ctx, url, true, false, progress)
}

// Pull gets what the office has for the laptop, and pushes nothing.
func (n *Node) Pull(ctx context.Context, url string, progress func(done, total int)) (Result, error) {
	return n.exchange(ctx, url, false, true, progress)
}

func (n *Node) exchange(ctx context.Context, url string, push, pull bool, progress func(done, total int)) (Result, error) {
	res := Result{Time: n.now()}
	p, k, err := n.laptop()
	if err != nil {
		return res, err
	}
	url = strings.TrimRight(url, "/")
	client := n.pinnedClient(p.TLSSHA256)
	defer client.CloseIdleConnections()
	total := 0
	report := func() {
		if progress != nil {
			progress(min(res.Revisions, total), total)
		}
	}
	if push {
		if err := n.push(ctx, client, url, p, k, &res, &total, report); err != nil {
			return res, err
		}
	}
	if pull {
		if err := n.pull(ctx, client, url, p, k, &res, &total, report); err != nil {
			return res, err
		}
	}
	if err := n.finish(&res, "sync"); err != nil {
		return res, err
	}
	return res, nil
}

// push sends what the office has not acknowledged, one batch at a time from its last ack.
func (n *Node) push(ctx context.Context, client *http.Client, url string, p Package, k store.SyncKeys,
	res *Result, total *int, report func()) error {
	// the next batch: the first revisions after the office's acknowledgement
	next := func() ([]store.Revision, error) {
		acked, _, err := n.st.Ack()
		if err != nil {
			return nil, err
		}
		return n.run(n.meta.DeviceID, acked, n.o.BatchRevisions)
	}
	unsent, err := n.Pending()
	if err != nil {
		return err
	}
	*total += unsent
	report()
	part, err := next()
	if err != nil {
		return err
	}
	for len(part) > 0 {
		have, err := n.st.Devices()
		if err != nil {
			return err
		}
		data, err := n.upBatch(p, k, part, have)
		if err != nil {
			return err
		}
		var rep pushReply
		if err := n.post(ctx, client, url+pathPush, data, func(body []byte) error {
			return json.Unmarshal(body, &rep)
		}); err != nil {
			return err
		}
		if _, err := n.st.SetAck(rep.Ack, rep.Stamp); err != nil {
			return err
		}
		res.Batches++
		res.Revisions += len(part)
		res.Delivered += rep.Added
		report()
		first := part[0].Seq
		if part, err = next(); err != nil {
			return err
		}
		if len(part) > 0 && part[0].Seq <= first {
			return errorf(ErrServer, nil, "văn phòng không xác nhận phiên bản %d", "the office does not acknowledge revision %d", first)
		}
	}
	return nil
}

// pull asks for down-batches, saying what the laptop has, until the office has no more.
func (n *Node) pull(ctx context.Context, client *http.Client, url string, p Package, k store.SyncKeys,
	res *Result, total *int, report func()) error {
	for round := 0; ; round++ {
		if round > 100000 {
			return errorf(ErrServer, nil, "quá nhiều lượt tải về", "too many pulls")
		}
		have, err := n.st.Devices()
		if err != nil {
			return err
		}
		req, err := n.upBatch(p, k, nil, have)
		if err != nil {
			return err
		}
		var br BatchResult
		if err := n.post(ctx, client, url+pathPull, req, func(body []byte) error {
			var err error
			br, err = n.Import(body)
			return err
		}); err != nil {
			return err
		}
		res.Batches++
		res.Revisions += br.Revisions
		res.Added += br.Added
		if br.ScoreTable != "" {
			res.ScoreTable = br.ScoreTable
		}
		*total += br.Revisions
		report()
		if !br.Header.More {
			return nil
		}
		if br.Revisions == 0 || br.Pending {
			return errorf(ErrServer, nil, "văn phòng gửi lô không nối tiếp", "the office sent a batch that does not follow on")
		}
	}
}

// post sends one request, trying again on network failures, and hands a 200 reply's body to
// take. A refusal by the office is returned as its kind of error, not tried again.
func (n *Node) post(ctx context.Context, c *http.Client, url string, body []byte, take func([]byte) error) error {
	var last error
	for attempt := 0; attempt < n.o.Attempts; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return errorf(ErrNetwork, ctx.Err(), "", "")
			case <-time.After(n.o.RetryWait):
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/octet-stream")
		resp, err := c.Do(req)
		if err != nil {
			if errors.Is(err, ErrCertificate) {
				return errorf(ErrCertificate, nil, "%s", "%s", url)
			}
			last = err
			if ctx.Err() != nil {
				break
			}
			continue
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, n.o.Limits.MaxFile+1))
		resp.Body.Close()
		if err != nil {
			last = err
			continue
		}
		if resp.StatusCode != http.StatusOK {
			var rep errorReply
			if json.Unmarshal(data, &rep) == nil && rep.EN != "" {
				for _, k := range kinds {
					if k.EN == rep.Kind {
						return errorf(ErrServer, k, "%[1]s", "%[2]s", rep.VI, rep.EN)
					}
				}
				return errorf(ErrServer, nil, "%[1]s", "%[2]s", rep.VI, rep.EN)
			}
			if resp.StatusCode >= 500 {
				last = fmt.Errorf("HTTP %s", resp.Status)
				continue
			}
			return errorf(ErrServer, nil, "HTTP %s", "HTTP %s", resp.Status)
		}
		return take(data)
	}
	return errorf(ErrNetwork, last, "%s", "%s", url)
}
