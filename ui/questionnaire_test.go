package ui

import "testing"

func TestEthnicities(t *testing.T) {
	if len(Ethnicities) != 54 {
		t.Errorf("%d ethnic groups, Vietnam has 54", len(Ethnicities))
	}
}
