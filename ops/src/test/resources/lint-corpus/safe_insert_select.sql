-- expect: none
INSERT INTO control.component_status_history (component_id, status)
SELECT id, status FROM control.components WHERE NOT is_group;
