// Package version names the build: the release scripts set Version from the git tag with
// -ldflags "-X github.com/rasoat/rasoat/version.Version=v1.2.3".
package version

import "runtime/debug"

// Version is the release, or "dev" for a developer build.
var Version = "dev"

// String is the version as shown in About and by --version: the release, or for a developer
// build "dev" with the commit it was built from when Go recorded it.
func String() string {
	if Version != "dev" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			if dirty {
				rev += "+"
			}
			return "dev-" + rev
		}
	}
	return Version
}
