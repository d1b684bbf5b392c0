package models

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ChiSquareResult is a chi-square goodness-of-fit test of observed counts
// against an expected spread.
type ChiSquareResult struct {
	N         int
	Observed  []int
	Expected  []float64
	Statistic float64
	DF        int
	PValue    float64
}

// Significant reports whether the spread differs from the expected one at
// the 5% level.
func (r ChiSquareResult) Significant() bool { return r.PValue < 0.05 }

// ErrTooFewObservations means a test has too little data to say anything.
var ErrTooFewObservations = errors.New("too few observations for a test")

// ChiSquareUniform tests whether counts are spread evenly over their
// categories (every category equally likely). The p-value comes from
// gonum's chi-squared distribution (Survival, which keeps small p-values
// accurate).
func ChiSquareUniform(counts []int) (ChiSquareResult, error) {
	r := ChiSquareResult{Observed: counts, DF: len(counts) - 1}
	for _, c := range counts {
		r.N += c
	}
	if len(counts) < 2 || r.N == 0 {
		return r, ErrTooFewObservations
	}
	exp := float64(r.N) / float64(len(counts))
	obs := make([]float64, len(counts))
	r.Expected = make([]float64, len(counts))
	for i, c := range counts {
		obs[i] = float64(c)
		r.Expected[i] = exp
	}
	r.Statistic = stat.ChiSquare(obs, r.Expected)
	r.PValue = distuv.ChiSquared{K: float64(r.DF)}.Survival(r.Statistic)
	return r, nil
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of ascending sorted values by
// linear interpolation between closest ranks — the same definition as
// PostgreSQL's percentile_cont, so Go and SQL agree. NaN for no values.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	pos := q * float64(n-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	if lo == hi {
		return sorted[lo]
	}
	return sorted[lo] + (pos-float64(lo))*(sorted[hi]-sorted[lo])
}
