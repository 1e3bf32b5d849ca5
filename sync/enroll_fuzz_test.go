package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"testing"

	"github.com/rasoat/rasoat/store"
)

var codeForm = regexp.MustCompile(`^[0-9]{4}-[0-9]{4}-[0-9]{4}$`)

// enrollmentFiles are a laptop's enrollment request, the package the office approved it with
// (carrying the office's score table, and for LAN sync) and that package's table swapped for
// one the laptop cannot use, signed again (TestScoreTableInEnrollmentPackage).
func enrollmentFiles(t testing.TB) [][]byte {
	w := newWorld(t)
	office := w.newOffice("")
	if _, err := office.st.LoadScoreTable(exampleTable(t), "cán bộ"); err != nil {
		t.Fatal(err)
	}
	l := w.open("a", store.RoleField)
	req, code, err := l.n.EnrollRequest()
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := office.n.Approve(req, code, "192.168.1.10:8443")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePackage(pkg)
	if err != nil {
		t.Fatal(err)
	}
	p.ScoreTable = badTable(t)
	forged := forgePackage(t, office, p)
	return [][]byte{req, pkg, forged}
}

// isEnrollmentRefusal reports whether err refuses an enrollment file, with a message in both
// languages.
func isEnrollmentRefusal(err error) bool {
	return errors.Is(err, ErrEnrollment) && store.Message(err, "vi") != "" && store.Message(err, "en") != ""
}

// FuzzParseEnrollment feeds the readers of the enrollment request (ParseRequest, at the
// office) and of the enrollment package (ParsePackage, on the laptop) arbitrary bytes, seeded
// with real ones, one byte of each changed and their signatures cut. Nothing may panic;
// anything refused is refused with ErrEnrollment; what is accepted is signed by the key it
// names, over what it says: the same fields signed with a field changed are refused.
func FuzzParseEnrollment(f *testing.F) {
	for _, file := range enrollmentFiles(f) {
		f.Add(file)
		bad := bytes.Clone(file)
		bad[len(bad)/2] ^= 1
		f.Add(bad)
		var sf signedFile
		if err := json.Unmarshal(file, &sf); err != nil {
			f.Fatal(err)
		}
		sf.Signature = sf.Signature[:len(sf.Signature)-1]
		cut, _ := json.Marshal(sf)
		f.Add(cut)
	}
	f.Add([]byte(`{"request": {}, "package": {}, "signature": ""}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, file []byte) {
		var sf signedFile
		json.Unmarshal(file, &sf)
		if r, c, err := ParseRequest(file); err != nil {
			if !isEnrollmentRefusal(err) {
				t.Fatalf("request: not an enrollment refusal: %v", err)
			}
		} else {
			if r.Device == "" || r.AgeRecipient == "" || !codeForm.MatchString(c) || normalizeCode(c) != c {
				t.Fatalf("request accepted: %+v, code %q", r, c)
			}
			// the same request, another device: the signature does not cover it
			r.Device += "x"
			raw, _ := json.Marshal(r)
			forged, _ := json.Marshal(signedFile{Request: raw, Signature: sf.Signature})
			if _, _, err := ParseRequest(forged); !isEnrollmentRefusal(err) {
				t.Fatalf("a request changed after signing: %v", err)
			}
		}
		if p, err := ParsePackage(file); err != nil {
			if !isEnrollmentRefusal(err) {
				t.Fatalf("package: not an enrollment refusal: %v", err)
			}
		} else {
			if p.WardID == "" || p.Office == "" || p.Device == "" {
				t.Fatalf("package accepted: %+v", p)
			}
			p.WardID += "x"
			raw, _ := json.Marshal(p)
			forged, _ := json.Marshal(signedFile{Package: raw, Signature: sf.Signature})
			if _, err := ParsePackage(forged); !isEnrollmentRefusal(err) {
				t.Fatalf("a package changed after signing: %v", err)
			}
		}
	})
}
