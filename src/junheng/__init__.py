"""均衡 junheng: runs and evaluates Shanghai's school-partnership programmes."""
