package version

import "testing"

func TestString(t *testing.T) {
	old := Version
	defer func() { Version = old }()
	Version = "v1.2.3"
	if String() != "v1.2.3" {
		t.Errorf("String() = %q", String())
	}
	Version = "dev"
	if s := String(); len(s) < 3 || s[:3] != "dev" {
		t.Errorf("developer build: %q", s)
	}
}
