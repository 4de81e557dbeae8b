"""The pages run in-process with AppTest, and the command line."""
