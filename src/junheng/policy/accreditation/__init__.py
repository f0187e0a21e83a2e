"""The accreditation of model clusters (S2): the cluster office applies with its dossier (申报), the district bureau
recommends (推荐), the municipal commission accredits (认定) or returns (退回). `models` holds the application and
its audited steps, `services.take_step` the only way through, `dossier` what the application gathers."""
