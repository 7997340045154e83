"""What the answers mean: scores, gaps, the action plan, comparisons, the portfolio."""
