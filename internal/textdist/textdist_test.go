package textdist

import "testing"

func TestEdit(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"DISC-099", "DISC-009", 1}, {"PERM-4.1", "PERM-004.1", 2}, {"same", "same", 0}} {
		if got := Edit(tc.a, tc.b); got != tc.want {
			t.Errorf("Edit(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Edit(tc.b, tc.a); got != tc.want {
			t.Errorf("Edit(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}
