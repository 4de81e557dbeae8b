"""Chart builders per subject: DataFrame in, Plotly figure out. Colours from
dashboard.present.theme; titles say the finding in words; numbers the Norwegian way."""
