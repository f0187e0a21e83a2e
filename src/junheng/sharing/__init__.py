"""Sharing and joint work in clusters (S2 二(三), SPEC R-D1–R-D9): shared courses and cross-school enrolment,
the digital resource library, joint teaching research, guidance visits, probation of new teachers, facility
sharing, and the clusters' joint activities."""
