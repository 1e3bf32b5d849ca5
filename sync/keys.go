package sync

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"time"

	"filippo.io/age"

	"github.com/rasoat/rasoat/store"
)

// newKeys makes a device's signing key and the age identity that batches sent to it are
// encrypted to.
func newKeys(rand io.Reader, now time.Time) (store.SyncKeys, error) {
	_, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return store.SyncKeys{}, err
	}
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		return store.SyncKeys{}, err
	}
	return store.SyncKeys{SignKey: priv, AgeIdentity: id.String(), Created: now.UTC()}, nil
}

// selfSigned makes the office's HTTPS certificate: ECDSA P-256, valid for ten years, for the
// given host names and addresses plus the loopback ones. Laptops pin it by its SHA-256
// fingerprint, so the names are only a courtesy.
func selfSigned(rand io.Reader, now time.Time, ward string, hosts []string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand)
	if err != nil {
		return nil, nil, err
	}
	serial := new(big.Int).SetUint64(uint64(now.UnixNano()))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "rasoat office " + ward, Organization: []string{"rasoat"}},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" && h != "localhost" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	kd, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}), nil
}

// certFingerprint is the hex SHA-256 of the certificate's DER bytes.
func certFingerprint(certPEM []byte) (string, error) {
	b, _ := pem.Decode(certPEM)
	if b == nil || b.Type != "CERTIFICATE" {
		return "", fmt.Errorf("no certificate")
	}
	sum := sha256.Sum256(b.Bytes)
	return hex.EncodeToString(sum[:]), nil
}

func tlsCertificate(k store.SyncKeys) (tls.Certificate, error) {
	return tls.X509KeyPair(k.TLSCert, k.TLSKey)
}

// Enrollment formats.
const (
	requestFormat = "rasoat.enroll-request/1"
	packageFormat = "rasoat.enroll-package/1"
	codeContext   = "rasoat enrollment code v1\x00"
)

// Request is a laptop's enrollment request: its id and public keys. The file carries it with
// the laptop's signature, which proves the laptop holds the private key.
type Request struct {
	Format       string    `json:"format"`
	Device       string    `json:"device"`
	Name         string    `json:"name"`
	Surveyor     string    `json:"surveyor"`
	Ward         string    `json:"ward"` // the ward name set on the laptop, for people
	SignKey      []byte    `json:"sign_key"`
	AgeRecipient string    `json:"age_recipient"`
	Created      time.Time `json:"created"`
}

// Package is what the office hands back to an enrolled laptop: the ward and the office's
// public keys and, for LAN sync, its address and certificate fingerprint. It is signed by the
// office.
type Package struct {
	Format             string    `json:"format"`
	WardID             string    `json:"ward_id"`
	Ward               string    `json:"ward"`
	Area               string    `json:"area,omitempty"`
	Office             string    `json:"office"` // the office database's device id
	OfficeSignKey      []byte    `json:"office_sign_key"`
	OfficeAgeRecipient string    `json:"office_age_recipient"`
	Address            string    `json:"address,omitempty"` // host:port of rasoatctl serve
	TLSSHA256          string    `json:"tls_sha256"`
	Device             string    `json:"device"` // the laptop it is for
	Code               string    `json:"code"`
	Issued             time.Time `json:"issued"`
	// ScoreTable is the score table file the office had in force when it issued the package,
	// which the laptop loads with it; absent when the office had none (or from a release
	// before it, which ignores it when reading).
	ScoreTable []byte `json:"score_table,omitempty"`
}

// signedFile is the file form of a request or a package: the exact signed JSON and the
// signature.
type signedFile struct {
	Request   json.RawMessage `json:"request,omitempty"`
	Package   json.RawMessage `json:"package,omitempty"`
	Signature []byte          `json:"signature"`
}

func signJSON(v any, key ed25519.PrivateKey, ctx string) (raw, sig []byte, err error) {
	raw, err = json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	return raw, ed25519.Sign(key, append([]byte(ctx), raw...)), nil
}

// Code is the short code of an enrollment request, read out by the surveyor and typed at the
// office: twelve digits from the SHA-256 of the signed request, so a request swapped on the
// way gives another code.
func code(rawRequest []byte) string {
	sum := sha256.Sum256(append([]byte(codeContext), rawRequest...))
	v := binary.BigEndian.Uint64(sum[:8]) % 1_000_000_000_000
	s := fmt.Sprintf("%012d", v)
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12]
}

// normalizeCode keeps the digits of a typed code and groups them like code does.
func normalizeCode(c string) string {
	var d []byte
	for i := 0; i < len(c); i++ {
		if c[i] >= '0' && c[i] <= '9' {
			d = append(d, c[i])
		}
	}
	if len(d) != 12 {
		return string(d)
	}
	return string(d[0:4]) + "-" + string(d[4:8]) + "-" + string(d[8:12])
}

// compact returns the compact form of signed JSON: files are indented for people, and the
// signature is over the compact bytes json.Marshal made.
func compact(raw []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}

// ParseRequest reads an enrollment request file, checks its signature and returns it with
// its code.
func ParseRequest(file []byte) (Request, string, error) {
	var f signedFile
	var r Request
	if err := json.Unmarshal(file, &f); err != nil || len(f.Request) == 0 {
		return r, "", errorf(ErrEnrollment, err, "không đọc được yêu cầu", "the request cannot be read")
	}
	f.Request = compact(f.Request)
	if err := json.Unmarshal(f.Request, &r); err != nil || r.Format != requestFormat {
		return r, "", errorf(ErrEnrollment, err, "định dạng %q", "format %q", r.Format)
	}
	if r.Device == "" || len(r.SignKey) != ed25519.PublicKeySize || r.AgeRecipient == "" {
		return r, "", errorf(ErrEnrollment, nil, "thiếu mã thiết bị hoặc khóa", "the device id or a key is missing")
	}
	if _, err := age.ParseHybridRecipient(r.AgeRecipient); err != nil {
		return r, "", errorf(ErrEnrollment, err, "khóa mã hóa không hợp lệ", "the encryption key is not valid")
	}
	if !ed25519.Verify(r.SignKey, append([]byte(requestFormat+"\x00"), f.Request...), f.Signature) {
		return r, "", errorf(ErrEnrollment, nil, "chữ ký sai", "bad signature")
	}
	return r, code(f.Request), nil
}

// ParsePackage reads an enrollment package file and checks it is signed by the office key it
// names.
func ParsePackage(file []byte) (Package, error) {
	var f signedFile
	var p Package
	if err := json.Unmarshal(file, &f); err != nil || len(f.Package) == 0 {
		return p, errorf(ErrEnrollment, err, "không đọc được gói đăng ký", "the enrollment package cannot be read")
	}
	f.Package = compact(f.Package)
	if err := json.Unmarshal(f.Package, &p); err != nil || p.Format != packageFormat {
		return p, errorf(ErrEnrollment, err, "định dạng %q", "format %q", p.Format)
	}
	if p.WardID == "" || p.Office == "" || p.Device == "" || len(p.OfficeSignKey) != ed25519.PublicKeySize {
		return p, errorf(ErrEnrollment, nil, "thiếu thông tin", "fields are missing")
	}
	if _, err := age.ParseHybridRecipient(p.OfficeAgeRecipient); err != nil {
		return p, errorf(ErrEnrollment, err, "khóa mã hóa của văn phòng không hợp lệ", "the office's encryption key is not valid")
	}
	if !ed25519.Verify(p.OfficeSignKey, append([]byte(packageFormat+"\x00"), f.Package...), f.Signature) {
		return p, errorf(ErrEnrollment, nil, "chữ ký sai", "bad signature")
	}
	return p, nil
}
