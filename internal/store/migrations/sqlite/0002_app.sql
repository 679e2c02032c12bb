-- The reviewers' app: scorecards are sorted and summed from an index, so
-- that a scan's wide site rows (their result JSON) are read only for the
-- page shown.
CREATE INDEX scan_sites_score ON scan_sites (scan_id, errors, warnings, site_id, checked, on_time, late, new_findings, resolved);
