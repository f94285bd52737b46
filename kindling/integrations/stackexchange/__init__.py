"""Import a community from a Stack Exchange data dump (Users.xml, Posts.xml, … one row each)."""
