"""The `sanzi` command: parse -> command -> application -> render. Nothing else."""
