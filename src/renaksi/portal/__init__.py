"""The public portal: approved plans of agencies that chose to publish, readable without login."""
