"""Statistics as small pure functions (one output shape each), after PHEindicatormethods and Fingertips."""
