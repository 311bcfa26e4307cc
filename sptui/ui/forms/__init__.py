"""ui/forms"""
