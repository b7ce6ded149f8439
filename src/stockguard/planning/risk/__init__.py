"""Stock-out risk numerics: probabilities and expected shortfall over a random horizon."""
