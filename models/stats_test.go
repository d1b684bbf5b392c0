package models_test

import (
	"math"
	"testing"

	"github.com/debrief-sre/debrief/models"
)

// A textbook die-fairness example: 60 rolls observed as 5, 8, 9, 8, 10, 20
// against 10 expected per face give χ² = 13.4 with 5 degrees of freedom,
// p ≈ 0.0199 (tables: the 5% critical value is 11.07, the 1% one 15.09).
func TestChiSquareUniformTextbook(t *testing.T) {
	r, err := models.ChiSquareUniform([]int{5, 8, 9, 8, 10, 20})
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 60 || r.DF != 5 || r.Expected[0] != 10 {
		t.Fatalf("n=%d df=%d expected=%v", r.N, r.DF, r.Expected)
	}
	if math.Abs(r.Statistic-13.4) > 1e-9 {
		t.Fatalf("statistic %v, want 13.4", r.Statistic)
	}
	if math.Abs(r.PValue-0.01990) > 0.0001 || !r.Significant() {
		t.Fatalf("p %v, want ≈0.0199", r.PValue)
	}
	// A perfectly even spread: χ² = 0, p = 1.
	r, _ = models.ChiSquareUniform([]int{7, 7, 7, 7, 7, 7, 7})
	if r.Statistic != 0 || math.Abs(r.PValue-1) > 1e-12 || r.Significant() {
		t.Fatalf("even spread: %+v", r)
	}
	// No observations: nothing to test.
	if _, err := models.ChiSquareUniform([]int{0, 0, 0, 0, 0, 0, 0}); err == nil {
		t.Fatal("zero observations accepted")
	}
	if _, err := models.ChiSquareUniform([]int{}); err == nil {
		t.Fatal("no categories accepted")
	}
}

func TestQuantileMatchesPercentileCont(t *testing.T) {
	v := []float64{1, 2, 3, 4, 10}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.5, 3}, {0.9, 7.6}, {1, 10}, {0.25, 2}} {
		if got := models.Quantile(v, c.q); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("q%.2f = %v, want %v", c.q, got, c.want)
		}
	}
	if !math.IsNaN(models.Quantile(nil, 0.5)) {
		t.Error("quantile of nothing is not NaN")
	}
	if models.Quantile([]float64{42}, 0.9) != 42 {
		t.Error("single value")
	}
}
