"""Stock audit: stock-out history, ABC/XYZ, slow/dead/excess stock, stock at risk, cycle counts."""
